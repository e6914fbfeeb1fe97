package dev.agentry.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The configuration keys one service really reads: the keys and {@code ${PLACEHOLDERS}} of its configuration file,
 * the components of its {@code @ConfigurationProperties} records, and Spring Boot's own documented properties (the
 * configuration metadata its jars ship). An environment variable names one of them under Spring Boot's relaxed
 * binding: {@code AGENTRY_WORKER_KILLGRACEPERIOD} is {@code agentry.worker.kill-grace-period}.
 */
final class ConfigKeys {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Set<String> BOOT_KEYS = new HashSet<>();
    private static final Set<String> BOOT_MAP_PREFIXES = new HashSet<>();

    static {
        loadBootMetadata();
    }

    private final String service;
    private final Set<String> placeholders = new HashSet<>();
    private final Set<String> keys = new HashSet<>();
    private final Set<String> mapPrefixes = new HashSet<>();

    private ConfigKeys(String service) {
        this.service = service;
    }

    /** The API ({@code api.yml}, package {@code dev.agentry.api}), the worker or the scheduler. */
    static ConfigKeys of(String service, String configFile, String basePackage) {
        ConfigKeys config = new ConfigKeys(service);
        String text = Repo.read(configFile);
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            config.placeholders.add(placeholder.group(1));
        }
        config.flatten("", Repo.yaml(configFile));
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
            Class<?> type = load(candidate.getBeanClassName());
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            config.addProperties(prefix, type);
        }
        return config;
    }

    static ConfigKeys api() {
        return of("api", "api-service/src/main/resources/api.yml", "dev.agentry.api");
    }

    static ConfigKeys worker() {
        return of("worker", "worker-service/src/main/resources/worker.yml", "dev.agentry.worker");
    }

    static ConfigKeys scheduler() {
        return of("scheduler", "scheduler-service/src/main/resources/scheduler.yml", "dev.agentry.scheduler");
    }

    /** Whether the service reads this environment variable (a placeholder of its file, or a property's name). */
    boolean readsEnvironmentVariable(String name) {
        if (placeholders.contains(name)) {
            return true;
        }
        String property = name.toLowerCase(Locale.ROOT).replace('_', '.');
        return keys.contains(property)
                || BOOT_KEYS.contains(property)
                || mapPrefixes.stream().anyMatch(prefix -> property.startsWith(prefix + "."))
                || BOOT_MAP_PREFIXES.stream().anyMatch(prefix -> property.startsWith(prefix + "."));
    }

    /** Whether a property (in its canonical form, e.g. {@code spring.datasource.url}) is set in the file or bound. */
    boolean hasKey(String property) {
        return keys.contains(canonical(property));
    }

    String service() {
        return service;
    }

    @SuppressWarnings("unchecked")
    private void flatten(String prefix, Map<String, Object> node) {
        node.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            keys.add(canonical(name));
            if (value instanceof Map<?, ?> child) {
                flatten(name, (Map<String, Object>) child);
            }
        });
    }

    private void addProperties(String prefix, Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                addProperty(prefix + "." + component.getName(), component.getType());
            }
            return;
        }
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                addProperty(prefix + "." + field.getName(), field.getType());
            }
        }
    }

    private void addProperty(String name, Class<?> type) {
        keys.add(canonical(name));
        if (Map.class.isAssignableFrom(type)) {
            mapPrefixes.add(canonical(name));
        } else if (type.isRecord() && type.getName().startsWith("dev.agentry")) {
            addProperties(name, type);
        }
    }

    /** Spring Boot's canonical form, as relaxed binding compares names: lower case, no dashes, no camel case. */
    static String canonical(String name) {
        return name.replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static void loadBootMetadata() {
        ObjectMapper json = new ObjectMapper();
        try {
            Resource[] files = new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:META-INF/spring-configuration-metadata.json");
            for (Resource file : files) {
                try (InputStream in = file.getInputStream()) {
                    for (JsonNode property : json.readTree(in).path("properties")) {
                        String name = canonical(property.path("name").asText());
                        BOOT_KEYS.add(name);
                        if (property.path("type").asText().startsWith("java.util.Map")) {
                            BOOT_MAP_PREFIXES.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!BOOT_KEYS.contains("spring.kafka.bootstrapservers")) {
            throw new IllegalStateException("Spring Boot's configuration metadata is not on the class path");
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name, e);
        }
    }
}
