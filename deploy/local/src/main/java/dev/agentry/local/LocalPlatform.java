package dev.agentry.local;

import dev.agentry.local.LocalSettings.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole platform in one JVM: an embedded Kafka broker (unless an external one is given), an embedded PostgreSQL
 * (unless an external database is given), then the api, worker and scheduler services as three Spring Boot
 * applications with the settings they would get in production. {@link #start(LocalSettings)} is the programmatic
 * entry for tests; {@link #main(String[])} is the one-command platform behind {@code deploy/local/run}.
 *
 * <p>Closing stops the services first, then Kafka, then PostgreSQL, so nothing loses its infrastructure while it is
 * still shutting down.
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPlatform.class);
    private static final String LOCK_FILE = "platform.lock";

    private final LocalSettings settings;
    private final PlatformSecrets secrets;
    private final String kafkaBootstrapServers;
    private final LocalSettings.ExternalDatabase database;
    private final Services services;
    private final Startup startup;
    private volatile boolean closed;

    private LocalPlatform(
            LocalSettings settings,
            PlatformSecrets secrets,
            String kafkaBootstrapServers,
            LocalSettings.ExternalDatabase database,
            Services services,
            Startup startup) {
        this.settings = settings;
        this.secrets = secrets;
        this.kafkaBootstrapServers = kafkaBootstrapServers;
        this.database = database;
        this.services = services;
        this.startup = startup;
    }

    public static void main(String[] args) {
        PlatformLogging.initialize();
        LocalSettings settings = LocalSettings.fromEnvironment(System.getenv());
        Startup startup = new Startup();
        CountDownLatch stopped = new CountDownLatch(1);
        // Before anything starts: a signal at any moment of the start-up stops what has started so far.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            startup.stopOnSignal();
                            PlatformLogging.cleanUp();
                            stopped.countDown();
                        },
                        "agentry-shutdown"));
        LocalPlatform platform;
        try {
            platform = start(settings, startup);
        } catch (Startup.StoppedDuringStartup e) {
            awaitQuietly(stopped);
            return;
        } catch (RuntimeException e) {
            if (startup.stopRequested()) {
                // A part failed because the stop took its infrastructure away; the stop is under way.
                awaitQuietly(stopped);
                return;
            }
            log.error("The local platform did not start.", e);
            System.exit(1);
            return;
        }
        System.out.println(platform.banner(settings.bootstrapToken() == null));
        awaitQuietly(stopped);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts everything and returns once all chosen services are up; on failure, stops what had started. */
    public static LocalPlatform start(LocalSettings settings) {
        return start(settings, new Startup());
    }

    private static LocalPlatform start(LocalSettings settings, Startup startup) {
        log.info("Starting the local platform with {}.", settings);
        try {
            Path dataDir = Files.createDirectories(settings.dataDir());
            startup.started(lock(dataDir));
            PlatformSecrets secrets = PlatformSecrets.load(dataDir.resolve("secrets"), settings.bootstrapToken());

            // PostgreSQL first and Kafka second, so that closing in reverse stops the broker before the database.
            LocalSettings.ExternalDatabase database = settings.database();
            if (database == null) {
                startup.checkNotStopping();
                EmbeddedDatabase postgres =
                        startup.started(EmbeddedDatabase.start(dataDir.resolve("postgres"), settings.postgresPort()));
                database = new LocalSettings.ExternalDatabase(
                        postgres.jdbcUrl(), postgres.username(), postgres.password());
            } else {
                log.info("Using the PostgreSQL database at {}.", database.url());
            }

            String kafka = settings.kafkaBootstrapServers();
            if (kafka == null) {
                startup.checkNotStopping();
                EmbeddedKafka broker =
                        startup.started(EmbeddedKafka.start(dataDir.resolve("kafka"), settings.kafkaPort()));
                kafka = broker.bootstrapServers();
            } else {
                log.info("Using the Kafka cluster at {}.", kafka);
            }

            startup.checkNotStopping();
            Services services = startup.started(new Services(new Services.Wiring(settings, secrets, kafka, database)));
            services.start(startup);
            startup.checkNotStopping();
            return new LocalPlatform(settings, secrets, kafka, database, services, startup);
        } catch (IOException e) {
            startup.closeAll();
            throw new UncheckedIOException("Could not prepare the data directory " + settings.dataDir(), e);
        } catch (RuntimeException | Error e) {
            startup.closeAll();
            throw e;
        } finally {
            startup.ended();
        }
    }

    /** The API's base URL, e.g. {@code http://localhost:8080}. */
    public String apiUrl() {
        return "http://localhost:" + services.apiPort();
    }

    public String swaggerUrl() {
        return apiUrl() + "/api/docs";
    }

    public String workerUrl() {
        return "http://localhost:" + services.workerPort();
    }

    public String schedulerUrl() {
        return "http://localhost:" + services.schedulerPort();
    }

    public String dashboardUrl() {
        return "http://localhost:" + services.dashboardPort() + "/dashboard";
    }

    /** The bearer token the API accepts before any other token exists. */
    public String bootstrapToken() {
        return secrets.bootstrapToken();
    }

    /** The sealing key ring given to api and worker, for tests that seal or open secrets themselves. */
    public String sealingKeys() {
        return secrets.sealingKeys();
    }

    public String kafkaBootstrapServers() {
        return kafkaBootstrapServers;
    }

    public String jdbcUrl() {
        return database.url();
    }

    public String databaseUsername() {
        return database.username();
    }

    public String databasePassword() {
        return database.password();
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    public ConfigurableApplicationContext api() {
        return services.api();
    }

    public ConfigurableApplicationContext worker() {
        return services.worker();
    }

    public ConfigurableApplicationContext scheduler() {
        return services.scheduler();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log.info("Stopping the local platform.");
        startup.closeAll();
        log.info("The local platform has stopped.");
    }

    String banner(boolean showToken) {
        String token = showToken
                ? bootstrapToken() + "  (kept in "
                        + dataDir().resolve("secrets").resolve(PlatformSecrets.BOOTSTRAP_TOKEN_FILE) + ")"
                : "the value of AGENTRY_BOOTSTRAP_TOKEN";
        return """

                Agentry is running.
                  API                %s
                  Swagger UI         %s
                  JobRunr dashboard  %s
                  Kafka              %s
                  PostgreSQL         %s
                  Data               %s
                  Services           %s
                  Bearer token       %s

                  curl -H "Authorization: Bearer $TOKEN" %s/api/v1/tasks
                Stop with Ctrl-C.
                """.formatted(
                        apiUrl(),
                        swaggerUrl(),
                        services.runs(Service.SCHEDULER) ? dashboardUrl() : "(no scheduler here)",
                        kafkaBootstrapServers(),
                        jdbcUrl(),
                        dataDir(),
                        settings.services().stream()
                                .map(service -> service.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", ")),
                        token,
                        apiUrl());
    }

    /** One platform per data directory: two would fight over the broker's log and the database's files. */
    private static AutoCloseable lock(Path dataDir) throws IOException {
        FileChannel channel =
                FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        @Nullable FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another Agentry platform is already using " + dataDir
                    + "; stop it or set AGENTRY_DATA_DIR to another directory");
        }
        FileLock held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }
}
