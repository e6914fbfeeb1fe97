package dev.agentry.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/** The manifests against the services: the keys they read, the paths they serve, the network they need. */
class ServiceWiringTest {

    private static final int POSTGRES = 5432;
    private static final Set<Integer> KAFKA = Set.of(9092, 9093);

    private final List<HasMetadata> base = Kustomizations.baseObjects();

    @Test
    void everyEnvironmentVariableIsAKeyTheServiceReads() {
        Map<String, ConfigKeys> services = Map.of(
                "agentry-api",
                ConfigKeys.api(),
                "agentry-worker",
                ConfigKeys.worker(),
                "agentry-scheduler",
                ConfigKeys.scheduler());
        for (Deployment deployment : KubernetesObjects.ofKind(base, Deployment.class)) {
            ConfigKeys config = services.get(deployment.getMetadata().getName());
            Container container =
                    deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
            List<String> names =
                    container.getEnv().stream().map(EnvVar::getName).toList();
            assertUnknownToTheServiceAreOnlyHelpers(config, names, helpers(container.getEnv()));
        }
    }

    /** Names no service reads: the JVM's own, and variables other values refer to as {@code $(NAME)}. */
    static void assertUnknownToTheServiceAreOnlyHelpers(ConfigKeys config, List<String> names, Set<String> helpers) {
        for (String name : names) {
            boolean read =
                    config.readsEnvironmentVariable(name) || name.equals("JAVA_TOOL_OPTIONS") || helpers.contains(name);
            assertThat(read).as(config.service() + " reads " + name).isTrue();
        }
    }

    private static Set<String> helpers(List<EnvVar> env) {
        Pattern reference = Pattern.compile("\\$\\(([A-Z_]+)\\)");
        return env.stream()
                .filter(e -> e.getValue() != null)
                .flatMap(e -> reference.matcher(e.getValue()).results().map(m -> m.group(1)))
                .collect(Collectors.toSet());
    }

    @Test
    void probesAskThePathsEachServiceServes() {
        String healthController = Repo.read("api-service/src/main/java/dev/agentry/api/system/HealthController.java");
        assertThat(healthController).contains("@GetMapping(\"/health\")").contains("@GetMapping({\"/ready\"");
        assertProbes("agentry-api", "/health", "/ready", 8080);

        // Actuator's probes (management.endpoint.health.probes.enabled) under the health path mapped to /health,
        // and a readiness group published at server:/ready.
        for (String service : List.of("worker", "scheduler")) {
            String yml = Repo.read(service + "-service/src/main/resources/" + service + ".yml");
            assertThat(yml)
                    .contains("health: health")
                    .contains("probes:\n        enabled: true")
                    .contains("additional-path: server:/ready");
        }
        assertProbes("agentry-worker", "/health/liveness", "/ready", 8081);
        assertProbes("agentry-scheduler", "/health/liveness", "/ready", 8082);
    }

    private void assertProbes(String deploymentName, String liveness, String readiness, int port) {
        Container container = deployment(deploymentName)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst();
        assertThat(container.getLivenessProbe().getHttpGet().getPath())
                .as(deploymentName)
                .isEqualTo(liveness);
        assertThat(container.getReadinessProbe().getHttpGet().getPath())
                .as(deploymentName)
                .isEqualTo(readiness);
        assertThat(container.getPorts()).as(deploymentName).anyMatch(p -> p.getContainerPort() == port);
    }

    @Test
    void workersReachKafkaAndPublicHostsButNeverPostgres() {
        List<NetworkPolicyEgressRule> egress = egressOf(deployment("agentry-worker"));
        assertThat(egress).as("worker egress").isNotEmpty();
        for (NetworkPolicyEgressRule rule : egress) {
            assertThat(rule.getPorts())
                    .as("a worker egress rule without ports opens every port")
                    .isNotEmpty();
            assertThat(rule.getPorts())
                    .extracting(NetworkPolicyPort::getPort)
                    .as("worker egress ports")
                    .noneMatch(port -> port.getIntVal() != null && port.getIntVal() == POSTGRES);
            for (NetworkPolicyPeer peer : rule.getTo()) {
                if (peer.getIpBlock() != null && peer.getIpBlock().getCidr().equals("0.0.0.0/0")) {
                    assertThat(peer.getIpBlock().getExcept()).contains("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
                }
            }
        }
        assertThat(ports(egress)).containsAll(KAFKA).contains(443);
    }

    @Test
    void apiAndSchedulerReachPostgresAndKafka() {
        for (String name : List.of("agentry-api", "agentry-scheduler")) {
            assertThat(ports(egressOf(deployment(name))))
                    .as(name)
                    .contains(POSTGRES)
                    .containsAll(KAFKA);
        }
    }

    @Test
    void workerGracePeriodCoversItsDrain() {
        Deployment worker = deployment("agentry-worker");
        Container container =
                worker.getSpec().getTemplate().getSpec().getContainers().getFirst();
        String killGrace = container.getEnv().stream()
                .filter(e -> e.getName().equals("AGENTRY_WORKER_KILLGRACEPERIOD"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseGet(() -> yamlValue("worker-service/src/main/resources/worker.yml", "kill-grace-period"));
        // CommandQueue.stop: the running commands are killed (SIGTERM, SIGKILL after kill-grace-period) and
        // released; each slot thread is given kill-grace-period + 20 s. Ten seconds more for the rest of shutdown.
        String stop = Repo.read("worker-service/src/main/java/dev/agentry/worker/queue/CommandQueue.java");
        assertThat(stop).contains("properties.killGracePeriod().plusSeconds(20)");
        Duration drain = DurationStyle.detectAndParse(killGrace).plusSeconds(20).plusSeconds(10);
        assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(drain.toSeconds());
    }

    private Deployment deployment(String name) {
        return KubernetesObjects.ofKind(base, Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Every egress rule of every policy that selects the deployment's pods. */
    private List<NetworkPolicyEgressRule> egressOf(Deployment deployment) {
        Map<String, String> labels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        return KubernetesObjects.ofKind(base, NetworkPolicy.class).stream()
                .filter(p -> labels.entrySet()
                        .containsAll(
                                p.getSpec().getPodSelector().getMatchLabels().entrySet()))
                .filter(p -> p.getSpec().getEgress() != null)
                .flatMap(p -> p.getSpec().getEgress().stream())
                .toList();
    }

    private static Set<Integer> ports(List<NetworkPolicyEgressRule> rules) {
        return rules.stream()
                .flatMap(r -> r.getPorts().stream())
                .map(p -> p.getPort().getIntVal())
                .collect(Collectors.toSet());
    }

    private static String yamlValue(String file, String key) {
        Matcher value = Pattern.compile("\\b" + key + ":\\s*(\\S+)").matcher(Repo.read(file));
        assertThat(value.find()).as(key + " in " + file).isTrue();
        return value.group(1);
    }
}
