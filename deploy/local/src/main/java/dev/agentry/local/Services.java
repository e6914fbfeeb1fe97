package dev.agentry.local;

import dev.agentry.api.ApiApplication;
import dev.agentry.local.LocalSettings.Service;
import dev.agentry.scheduler.SchedulerApplication;
import dev.agentry.worker.WorkerApplication;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;

/**
 * The api, worker and scheduler services, each its own Spring Boot application (own context, own config file, own
 * port) in this JVM. The platform's settings go in as the first property source, so they win over each service's
 * own yml and over the environment, exactly as a deployment's settings would.
 */
final class Services implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Services.class);
    private static final String PROPERTY_SOURCE = "agentry-local";

    /** What the services are wired to. */
    record Wiring(
            LocalSettings settings,
            PlatformSecrets secrets,
            String kafkaBootstrapServers,
            LocalSettings.ExternalDatabase database) {}

    private final Map<Service, ConfigurableApplicationContext> started = new EnumMap<>(Service.class);
    private final Wiring wiring;
    private final ServiceStates states;
    private final int dashboardPort;
    private boolean closed;

    /** Nothing runs yet: {@link #start(Startup)} starts the services, {@link #close()} stops what runs. */
    Services(Wiring wiring) {
        this.wiring = wiring;
        this.states = new ServiceStates(wiring.settings().services());
        this.dashboardPort = FreePorts.orPick(wiring.settings().dashboardPort());
    }

    /**
     * Starts api (it owns the schema), then worker, then scheduler, each if chosen in the settings. Gives up before
     * the next one when the platform is asked to stop meanwhile; the caller closes what started.
     */
    void start(Startup startup) {
        LocalSettings settings = wiring.settings();
        Map<String, Object> api = common(wiring, "api", settings.apiPort());
        api.putAll(database(wiring));
        api.put("agentry.secrets.sealing-keys", wiring.secrets().sealingKeys());
        api.put("agentry.api.bootstrap-token", wiring.secrets().bootstrapToken());
        api.put("agentry.api.auth.jwt-keys", wiring.secrets().jwtKeys());
        api.put("agentry.api.allow-local-repos", "true");
        SpringApplicationBuilder apiBuilder = ApiApplication.builder()
                .initializers(context ->
                        context.getBeanFactory().registerSingleton("agentryLocalReadiness", new ReadinessGate(states)));
        run(Service.API, ApiApplication.class, apiBuilder, overridden(api, settings));
        startup.checkNotStopping();
        if (!settings.services().contains(Service.WORKER)) {
            log.info("No worker runs here (AGENTRY_SERVICES): tasks wait in the queue for a worker elsewhere.");
        } else {
            startWorker();
        }
        startup.checkNotStopping();
        if (!settings.services().contains(Service.SCHEDULER)) {
            log.info("No scheduler runs here (AGENTRY_SERVICES): no reaper, no webhooks.");
        } else {
            startScheduler();
        }
    }

    private void startWorker() {
        LocalSettings settings = wiring.settings();
        Map<String, Object> worker = common(wiring, "worker", settings.workerPort());
        worker.put("agentry.secrets.sealing-keys", wiring.secrets().sealingKeys());
        worker.put("agentry.worker.allow-local-repos", "true");
        // Repositories served on this machine (a local Gitea, the testkit's stand-ins) are on loopback.
        worker.put("agentry.worker.repository-allowed-networks", "127.0.0.0/8,::1/128");
        // A fresh machine with only a JDK still runs the platform: bubblewrap when it works, else a loud warning.
        worker.put("agentry.worker.sandbox", "auto");
        // The workspaces outlive a restart in the data dir, so the worker keeps its name with them: follow-ups
        // and deletions address the worker that holds a workspace by this id.
        worker.put("agentry.worker.worker-id", "local-worker");
        worker.put(
                "agentry.worker.workspace-root",
                settings.dataDir().resolve("workspaces").toString());
        // springdoc is on the shared class path for the api; a worker serves no API documents.
        worker.put("springdoc.api-docs.enabled", "false");
        worker.put("springdoc.swagger-ui.enabled", "false");
        run(Service.WORKER, WorkerApplication.class, WorkerApplication.builder(), overridden(worker, settings));
    }

    private void startScheduler() {
        LocalSettings settings = wiring.settings();
        Map<String, Object> scheduler = common(wiring, "scheduler", settings.schedulerPort());
        scheduler.putAll(database(wiring));
        scheduler.put("jobrunr.dashboard.port", String.valueOf(dashboardPort));
        // A laptop's platform: the dashboard stays open, as the banner says; deployed schedulers need credentials.
        scheduler.put("agentry.scheduler.dashboard-anonymous", "true");
        // The scheduler opens the tenants' webhook signing secrets, sealed by the API with this key ring.
        scheduler.put("agentry.secrets.sealing-keys", wiring.secrets().sealingKeys());
        // On your own machine, callbacks to your own machine are the point; a deployment keeps them refused.
        scheduler.put("agentry.scheduler.webhooks.allowed-networks", "127.0.0.0/8,::1/128");
        run(
                Service.SCHEDULER,
                SchedulerApplication.class,
                SchedulerApplication.builder(),
                overridden(scheduler, settings));
    }

    ConfigurableApplicationContext api() {
        return running(Service.API);
    }

    ConfigurableApplicationContext worker() {
        return running(Service.WORKER);
    }

    ConfigurableApplicationContext scheduler() {
        return running(Service.SCHEDULER);
    }

    synchronized boolean runs(Service service) {
        return started.containsKey(service);
    }

    private synchronized ConfigurableApplicationContext running(Service service) {
        ConfigurableApplicationContext context = started.get(service);
        if (context == null) {
            throw new IllegalStateException("The " + service.name().toLowerCase(Locale.ROOT) + " does not run here");
        }
        return context;
    }

    int apiPort() {
        return port(api());
    }

    int workerPort() {
        return port(worker());
    }

    int schedulerPort() {
        return port(scheduler());
    }

    int dashboardPort() {
        return dashboardPort;
    }

    /** Scheduler, then worker, then api: the api goes last so it still records what the others emit on the way out. */
    @Override
    public void close() {
        List<Map.Entry<Service, ConfigurableApplicationContext>> running;
        synchronized (this) {
            closed = true;
            running = new ArrayList<>(started.entrySet()).reversed();
            started.clear();
        }
        running.forEach(entry -> states.set(entry.getKey(), ServiceStates.State.STOPPING));
        for (Map.Entry<Service, ConfigurableApplicationContext> entry : running) {
            stop(entry.getKey(), entry.getValue());
        }
    }

    private void stop(Service service, ConfigurableApplicationContext context) {
        String name = ServiceStates.name(service);
        log.info("Stopping service {}.", name);
        try {
            context.close();
            log.info("Service {} stopped.", name);
        } catch (RuntimeException e) {
            log.warn("Service {} did not stop cleanly.", name, e);
        }
        states.set(service, ServiceStates.State.STOPPED);
    }

    private static int port(ConfigurableApplicationContext context) {
        Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
        if (port == null) {
            throw new IllegalStateException("Service " + context.getId() + " has no web server port");
        }
        return port;
    }

    private static Map<String, Object> common(Wiring wiring, String name, int port) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.config.name", name);
        properties.put("server.port", String.valueOf(port));
        properties.put("spring.kafka.bootstrap-servers", wiring.kafkaBootstrapServers());
        properties.put("spring.main.banner-mode", "off");
        // Three services share one console; the broker's own chatter stays out of it.
        properties.put("logging.level.kafka", "WARN");
        properties.put("logging.level.org.apache.kafka", "WARN");
        properties.put("logging.level.state.change.logger", "WARN");
        properties.put("logging.level.io.zonky", "WARN");
        // One console for three services: a single application name in every line would mislead.
        properties.put("logging.include-application-name", "false");
        if (System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null) {
            // No collector runs locally unless one is named; exporting would only fail every minute.
            properties.put("management.otlp.metrics.export.enabled", "false");
            properties.put("management.otlp.tracing.export.enabled", "false");
            properties.put("management.otlp.logging.export.enabled", "false");
        }
        return properties;
    }

    private static Map<String, Object> database(Wiring wiring) {
        return Map.of(
                "spring.datasource.url", wiring.database().url(),
                "spring.datasource.username", wiring.database().username(),
                "spring.datasource.password", wiring.database().password(),
                // An idle laptop platform needs few open connections; pools still grow to their maximum under load.
                "spring.datasource.hikari.minimum-idle", "2");
    }

    private static Map<String, Object> overridden(Map<String, Object> properties, LocalSettings settings) {
        properties.putAll(settings.properties());
        return properties;
    }

    private void run(
            Service service, Class<?> application, SpringApplicationBuilder builder, Map<String, Object> properties) {
        String name = (String) properties.get("spring.config.name");
        log.info("Starting service {}.", name);
        states.set(service, ServiceStates.State.STARTING);
        // The service's class, not LocalPlatform (the caller of main), names the application in its start-up log.
        ConfigurableApplicationContext context = builder.main(application)
                .bannerMode(Banner.Mode.OFF)
                .registerShutdownHook(false)
                .listeners(new FirstPropertySource(properties))
                .run();
        synchronized (this) {
            if (!closed) {
                started.put(service, context);
                states.set(service, ServiceStates.State.UP);
                log.info("Service {} is up on port {}.", name, port(context));
                return;
            }
        }
        // The platform stopped while this service started: it is the last one, and stops at once.
        stop(service, context);
        throw new Startup.StoppedDuringStartup();
    }

    /**
     * Puts the platform's settings first, before config files are read, so even {@code spring.config.name} takes
     * effect. A listener rather than default properties, which rank below every config file.
     */
    private record FirstPropertySource(Map<String, Object> properties)
            implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            event.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }
}
