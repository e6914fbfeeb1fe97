package dev.agentry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/compose/docker-compose.yml: the services with the keys they really read, checked on their real ports. */
class ComposeFileTest {

    private final Map<String, Object> compose = Repo.yaml("deploy/compose/docker-compose.yml");

    @Test
    void startsKafkaPostgresAndTheThreeServicesWithOneCommand() {
        assertThat(services()).containsKeys("kafka", "postgres", "api", "worker", "scheduler");
        assertThat(service("kafka").get("image").toString()).startsWith("apache/kafka:");
        assertThat(env("kafka")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
        assertThat(Repo.read("deploy/compose/docker-compose.yml"))
                .contains("docker compose -f deploy/compose/docker-compose.yml up -d");
        for (String optional : List.of("prometheus", "grafana")) {
            assertThat(service(optional).get("profiles")).as(optional).isEqualTo(List.of("observability"));
        }
    }

    @Test
    void everyEnvironmentVariableIsAKeyTheServiceReads() {
        Map<String, ConfigKeys> services =
                Map.of("api", ConfigKeys.api(), "worker", ConfigKeys.worker(), "scheduler", ConfigKeys.scheduler());
        services.forEach((name, config) -> ServiceWiringTest.assertUnknownToTheServiceAreOnlyHelpers(
                config, List.copyOf(env(name).keySet()), Set.of()));
        assertThat(env("worker"))
                .as("a worker has no database")
                .doesNotContainKeys("SPRING_DATASOURCE_URL", "AGENTRY_DATABASE_URL");
    }

    @Test
    void healthChecksAskEachServiceForReadinessOnItsPort() {
        Map<String, Integer> ports = Map.of("api", 8080, "worker", 8081, "scheduler", 8082);
        ports.forEach((name, port) -> {
            String check = String.join(" ", list(((Map<?, ?>) service(name).get("healthcheck")).get("test")));
            assertThat(check).as(name).contains("/dev/tcp/127.0.0.1/" + port).contains("GET /ready ");
        });
        assertThat(Repo.read("api-service/src/main/resources/api.yml")).contains("port: ${AGENTRY_API_PORT:8080}");
        assertThat(Repo.read("worker-service/src/main/resources/worker.yml")).contains("port: 8081");
        assertThat(Repo.read("scheduler-service/src/main/resources/scheduler.yml"))
                .contains("port: 8082");
    }

    @Test
    void mountedFilesExistAndPrometheusScrapesTheServices() {
        for (String name : List.of("prometheus", "grafana")) {
            for (String volume : list(service(name).get("volumes"))) {
                Path source = Repo.path("deploy/compose")
                        .resolve(volume.split(":")[0])
                        .normalize();
                assertThat(Files.exists(source)).as(name + " mounts " + source).isTrue();
            }
        }
        String scrape = Repo.read("deploy/compose/prometheus/prometheus.yml");
        assertThat(scrape).contains("api:8080", "worker:8081", "scheduler:8082").contains("metrics_path: /metrics");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> services() {
        return (Map<String, Object>) compose.get("services");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        return (Map<String, Object>) services().get(name);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> env(String name) {
        return (Map<String, Object>) service(name).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object value) {
        return (List<String>) value;
    }
}
