package dev.agentry.local;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.core.env.StandardEnvironment;

/**
 * Logging for the one-process platform. Spring Boot normally sets logging up per application and tears it down when
 * that application closes; with three applications in one JVM, the first to close would silence the rest and the
 * broker. So the platform sets Spring Boot's logging system up once, before the broker starts, and tells the
 * services to leave it alone. {@code logging.level.*} settings (e.g. LOGGING_LEVEL_DEV_AGENTRY=DEBUG) still apply.
 */
final class PlatformLogging {

    private static final Map<String, LogLevel> QUIET = Map.of(
            "kafka", LogLevel.WARN,
            "org.apache.kafka", LogLevel.WARN,
            "state.change.logger", LogLevel.WARN,
            "io.zonky", LogLevel.WARN);

    private static @Nullable LoggingSystem system;

    static synchronized void initialize() {
        if (system != null) {
            return;
        }
        LoggingSystem logging = LoggingSystem.get(PlatformLogging.class.getClassLoader());
        StandardEnvironment environment = new StandardEnvironment();
        logging.beforeInitialize();
        LogFile logFile = LogFile.get(environment);
        logging.getSystemProperties(environment).apply(logFile);
        logging.initialize(new LoggingInitializationContext(environment), null, logFile);
        Map<String, LogLevel> levels = new LinkedHashMap<>(QUIET);
        levels.putAll(Binder.get(environment)
                .bind("logging.level", Bindable.mapOf(String.class, LogLevel.class))
                .orElse(Map.of()));
        levels.forEach((name, level) -> logging.setLogLevel(name.equalsIgnoreCase("root") ? null : name, level));
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        system = logging;
    }

    static synchronized void cleanUp() {
        if (system != null) {
            system.cleanUp();
            system = null;
        }
    }

    private PlatformLogging() {}
}
