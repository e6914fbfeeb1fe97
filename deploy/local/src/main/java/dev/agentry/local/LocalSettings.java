package dev.agentry.local;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How to run the local platform. Port 0 means "any free port" for every port here. A non-null
 * {@code kafkaBootstrapServers} or {@code database} replaces the embedded broker or the embedded PostgreSQL.
 *
 * @param dataDir where the embedded broker and database keep their data, and where the generated sealing keys
 *     and bootstrap token live; a restart with the same directory keeps everything
 * @param bootstrapToken the API's bootstrap bearer token; null to generate one on first start and keep it in the
 *     data directory
 * @param properties extra Spring properties given to all three services (they win over the platform's own)
 * @param services which services run in this process: always the api (it owns the database schema), and the worker
 *     and the scheduler unless left out, e.g. to measure webhook delivery with no worker taking the tasks, or to run
 *     workers elsewhere against this broker
 */
public record LocalSettings(
        Path dataDir,
        int apiPort,
        int workerPort,
        int schedulerPort,
        int dashboardPort,
        int kafkaPort,
        int postgresPort,
        @Nullable String kafkaBootstrapServers,
        @Nullable ExternalDatabase database,
        @Nullable String bootstrapToken,
        Map<String, String> properties,
        Set<Service> services) {

    public static final int DEFAULT_API_PORT = 8080;
    public static final int DEFAULT_WORKER_PORT = 8081;
    public static final int DEFAULT_SCHEDULER_PORT = 8082;
    public static final int DEFAULT_DASHBOARD_PORT = 8000;
    public static final int DEFAULT_KAFKA_PORT = 9092;
    /** Not 5432, so a PostgreSQL already installed on the machine keeps its port. */
    public static final int DEFAULT_POSTGRES_PORT = 5433;

    /** The variable that moves the embedded broker, also named when its port is taken. */
    static final String KAFKA_PORT_VARIABLE = "AGENTRY_KAFKA_PORT";

    /** The variable that moves the embedded PostgreSQL, also named when its port is taken. */
    static final String POSTGRES_PORT_VARIABLE = "AGENTRY_POSTGRES_PORT";

    /** Environment variables handed to the worker's {@code agentry.worker.claude-code.*} properties. */
    static final Map<String, String> CLAUDE_SETTINGS = Map.of(
            "AGENTRY_CLAUDE_CLI", "agentry.worker.claude-code.cli-path",
            "ANTHROPIC_BASE_URL", "agentry.worker.claude-code.base-url",
            "ANTHROPIC_API_KEY", "agentry.worker.claude-code.api-key",
            "AGENTRY_CLAUDE_PERMISSION_MODE", "agentry.worker.claude-code.permission-mode");

    /** Connection settings of a PostgreSQL database the platform uses instead of its embedded one. */
    public record ExternalDatabase(String url, String username, String password) {
        @Override
        public String toString() {
            return "ExternalDatabase[url=" + url + ", username=" + username + "]";
        }
    }

    /** A service of the platform. */
    public enum Service {
        API,
        WORKER,
        SCHEDULER;

        static final Set<Service> ALL = Collections.unmodifiableSet(EnumSet.allOf(Service.class));
    }

    public LocalSettings {
        dataDir = dataDir.toAbsolutePath().normalize();
        properties = Map.copyOf(properties);
        if (!services.contains(Service.API)) {
            throw new IllegalArgumentException("The api service always runs: it owns the database schema");
        }
        services = Collections.unmodifiableSet(EnumSet.copyOf(services));
    }

    /** The default ports (API on 8080), with the data kept in {@code dataDir}. */
    public static LocalSettings defaults(Path dataDir) {
        return new LocalSettings(
                dataDir,
                DEFAULT_API_PORT,
                DEFAULT_WORKER_PORT,
                DEFAULT_SCHEDULER_PORT,
                DEFAULT_DASHBOARD_PORT,
                DEFAULT_KAFKA_PORT,
                DEFAULT_POSTGRES_PORT,
                null,
                null,
                null,
                Map.of(),
                Service.ALL);
    }

    /** Free ports everywhere, so tests run side by side with a running platform and with each other. */
    public static LocalSettings randomPorts(Path dataDir) {
        return new LocalSettings(dataDir, 0, 0, 0, 0, 0, 0, null, null, null, Map.of(), Service.ALL);
    }

    /**
     * Settings from {@code AGENTRY_*} environment variables: AGENTRY_DATA_DIR (default {@code ./.agentry-data}),
     * AGENTRY_API_PORT, AGENTRY_WORKER_PORT, AGENTRY_SCHEDULER_PORT, AGENTRY_DASHBOARD_PORT, AGENTRY_KAFKA_PORT,
     * AGENTRY_POSTGRES_PORT, AGENTRY_KAFKA_BOOTSTRAP_SERVERS, AGENTRY_DATABASE_URL / _USERNAME / _PASSWORD,
     * AGENTRY_BOOTSTRAP_TOKEN, AGENTRY_SERVICES, and for the worker's Claude Code runtime AGENTRY_CLAUDE_CLI, ANTHROPIC_BASE_URL,
     * ANTHROPIC_API_KEY and AGENTRY_CLAUDE_PERMISSION_MODE.
     */
    public static LocalSettings fromEnvironment(Map<String, String> env) {
        String url = blankToNull(env.get("AGENTRY_DATABASE_URL"));
        ExternalDatabase database = url == null
                ? null
                : new ExternalDatabase(
                        url,
                        env.getOrDefault("AGENTRY_DATABASE_USERNAME", "postgres"),
                        env.getOrDefault("AGENTRY_DATABASE_PASSWORD", ""));
        return new LocalSettings(
                Path.of(env.getOrDefault("AGENTRY_DATA_DIR", ".agentry-data")),
                port(env, "AGENTRY_API_PORT", DEFAULT_API_PORT),
                port(env, "AGENTRY_WORKER_PORT", DEFAULT_WORKER_PORT),
                port(env, "AGENTRY_SCHEDULER_PORT", DEFAULT_SCHEDULER_PORT),
                port(env, "AGENTRY_DASHBOARD_PORT", DEFAULT_DASHBOARD_PORT),
                port(env, KAFKA_PORT_VARIABLE, DEFAULT_KAFKA_PORT),
                port(env, POSTGRES_PORT_VARIABLE, DEFAULT_POSTGRES_PORT),
                blankToNull(env.get("AGENTRY_KAFKA_BOOTSTRAP_SERVERS")),
                database,
                blankToNull(env.get("AGENTRY_BOOTSTRAP_TOKEN")),
                passThrough(env),
                services(env.get("AGENTRY_SERVICES")));
    }

    /** The worker's Claude Code settings, under the short names a person running the platform would set. */
    private static Map<String, String> passThrough(Map<String, String> env) {
        Map<String, String> properties = new LinkedHashMap<>();
        CLAUDE_SETTINGS.forEach((variable, property) -> {
            String value = blankToNull(env.get(variable));
            if (value != null) {
                properties.put(property, value);
            }
        });
        return properties;
    }

    /** Uses an already running Kafka instead of starting a broker. */
    public LocalSettings withKafka(String bootstrapServers) {
        return copy(c -> c.kafkaBootstrapServers = bootstrapServers);
    }

    /** Uses an already running PostgreSQL database instead of starting one. */
    public LocalSettings withDatabase(String url, String username, String password) {
        return copy(c -> c.database = new ExternalDatabase(url, username, password));
    }

    public LocalSettings withBootstrapToken(String token) {
        return copy(c -> c.bootstrapToken = token);
    }

    /** Adds a Spring property for all three services, e.g. a shorter timeout in a test. */
    public LocalSettings withProperty(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(properties);
        more.put(name, value);
        return copy(c -> c.properties = more);
    }

    /** Runs only these services here (the api always runs). */
    public LocalSettings withServices(Set<Service> chosen) {
        return copy(c -> c.services = chosen);
    }

    /** These settings with the changes {@code change} makes to a copy of their values: the one home of the withers. */
    private LocalSettings copy(Consumer<Values> change) {
        Values values = new Values(this);
        change.accept(values);
        return values.settings();
    }

    /** The settings' values, mutable for a moment so that each wither changes only its own. */
    private static final class Values {
        private final LocalSettings from;
        private @Nullable String kafkaBootstrapServers;
        private @Nullable ExternalDatabase database;
        private @Nullable String bootstrapToken;
        private Map<String, String> properties;
        private Set<Service> services;

        Values(LocalSettings from) {
            this.from = from;
            this.kafkaBootstrapServers = from.kafkaBootstrapServers;
            this.database = from.database;
            this.bootstrapToken = from.bootstrapToken;
            this.properties = from.properties;
            this.services = from.services;
        }

        LocalSettings settings() {
            return new LocalSettings(
                    from.dataDir,
                    from.apiPort,
                    from.workerPort,
                    from.schedulerPort,
                    from.dashboardPort,
                    from.kafkaPort,
                    from.postgresPort,
                    kafkaBootstrapServers,
                    database,
                    bootstrapToken,
                    properties,
                    services);
        }
    }

    /** AGENTRY_SERVICES: a comma-separated list of api, worker, scheduler; unset or blank means all three. */
    static Set<Service> services(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return Service.ALL;
        }
        Set<Service> chosen = EnumSet.noneOf(Service.class);
        for (String name : value.split(",")) {
            String trimmed = name.trim().toUpperCase(Locale.ROOT);
            try {
                chosen.add(Service.valueOf(trimmed));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("AGENTRY_SERVICES names an unknown service '" + name.trim()
                        + "'; choose from api, worker, scheduler");
            }
        }
        if (!chosen.contains(Service.API)) {
            throw new IllegalArgumentException("AGENTRY_SERVICES must include api: it owns the database schema");
        }
        return chosen;
    }

    @Override
    public String toString() {
        return "LocalSettings[dataDir=" + dataDir + ", apiPort=" + apiPort + ", workerPort=" + workerPort
                + ", schedulerPort=" + schedulerPort + ", dashboardPort=" + dashboardPort + ", kafkaPort=" + kafkaPort
                + ", postgresPort=" + postgresPort + ", kafkaBootstrapServers=" + kafkaBootstrapServers
                + ", database=" + database + ", bootstrapToken=" + (bootstrapToken == null ? "generated" : "given")
                + ", properties=" + properties.keySet() + ", services=" + services + "]";
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = blankToNull(env.get(name));
        if (value == null) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be a port number (0-65535), not " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (0-65535), not " + value, e);
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
