package dev.agentry.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes: valid objects of the Kubernetes schemas, and Deployments fit to run the services. */
class KubernetesManifestsTest {

    @Test
    void everyManifestIsAKubernetesObjectWithNoFieldTheSchemaLacks() {
        List<Path> manifests = Repo.files("deploy/kubernetes", ".yaml").stream()
                .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                .toList();
        assertThat(manifests).hasSizeGreaterThan(15);
        for (Path manifest : manifests) {
            assertThat(KubernetesObjects.read(manifest)).as(manifest.toString()).isNotEmpty();
        }
    }

    @Test
    void aMisspelledFieldFailsTheCheck() {
        Map<String, Object> container = Map.of("name", "api", "image", "a", "readinesProbe", Map.of());
        Map<String, Object> pod = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Pod",
                "metadata",
                Map.of("name", "p"),
                "spec",
                Map.of("containers", List.of(container)));

        assertThatThrownBy(() -> KubernetesObjects.read(pod, "inline"))
                .hasMessageContaining("readinesProbe")
                .hasMessageContaining("containers[0]");
    }

    @Test
    void everyKustomizationNamesFilesThatExistAndTheBaseNamesAllItsFiles() {
        for (String kustomization : Kustomizations.ALL) {
            for (Path reference : Kustomizations.references(kustomization)) {
                assertThat(Files.exists(reference))
                        .as(kustomization + " names " + reference)
                        .isTrue();
            }
        }
        Set<Path> listed = Set.copyOf(Kustomizations.references("base"));
        for (Path file : Repo.files("deploy/kubernetes/base", ".yaml")) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                assertThat(listed).as("base/kustomization.yaml lists " + file).contains(file.normalize());
            }
        }
    }

    @Test
    void overlaysRenderWithKubectlKustomizeIntoValidObjects() {
        assumeTrue(Kustomizations.kubectlInstalled(), "kubectl is not installed: overlays checked file by file only");
        for (String kustomization : Kustomizations.ALL) {
            List<HasMetadata> objects = KubernetesObjects.readAll(
                    Kustomizations.render(kustomization).orElseThrow(), "kubectl kustomize " + kustomization);
            assertThat(KubernetesObjects.ofKind(objects, Deployment.class))
                    .as(kustomization)
                    .hasSize(3);
            assertDeploymentsFitToRun(objects, kustomization);
        }
    }

    @Test
    void everyDeploymentHasProbesRequestsANonRootUserAndItsOwnServiceAccount() {
        List<HasMetadata> base = Kustomizations.baseObjects();
        assertThat(KubernetesObjects.ofKind(base, Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("agentry-api", "agentry-worker", "agentry-scheduler");
        assertDeploymentsFitToRun(base, "base");
    }

    static void assertDeploymentsFitToRun(List<HasMetadata> objects, String origin) {
        Map<String, ServiceAccount> accounts = KubernetesObjects.ofKind(objects, ServiceAccount.class).stream()
                .collect(Collectors.toMap(a -> a.getMetadata().getName(), a -> a));
        List<PodDisruptionBudget> budgets = KubernetesObjects.ofKind(objects, PodDisruptionBudget.class);
        Set<String> usedAccounts = new java.util.HashSet<>();
        for (Deployment deployment : KubernetesObjects.ofKind(objects, Deployment.class)) {
            String name = origin + " " + deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getServiceAccountName())
                    .as(name + " service account")
                    .isNotBlank();
            assertThat(usedAccounts.add(pod.getServiceAccountName()))
                    .as(name + " has a service account of its own")
                    .isTrue();
            ServiceAccount account = accounts.get(pod.getServiceAccountName());
            assertThat(account).as(name + " service account exists").isNotNull();
            assertThat(account.getAutomountServiceAccountToken())
                    .as(name + " SA token")
                    .isFalse();
            assertThat(pod.getAutomountServiceAccountToken())
                    .as(name + " pod token")
                    .isFalse();
            assertThat(pod.getSecurityContext().getRunAsNonRoot())
                    .as(name + " runAsNonRoot")
                    .isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser())
                    .as(name + " runAsUser")
                    .isPositive();
            for (Container container : pod.getContainers()) {
                String where = name + "/" + container.getName();
                assertThat(container.getReadinessProbe())
                        .as(where + " readiness")
                        .isNotNull();
                assertThat(container.getLivenessProbe()).as(where + " liveness").isNotNull();
                assertThat(container.getResources().getRequests())
                        .as(where + " requests")
                        .containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits())
                        .as(where + " limits")
                        .containsKey("memory");
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                        .as(where)
                        .isFalse();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                        .as(where)
                        .isTrue();
                assertThat(container.getSecurityContext().getCapabilities().getDrop())
                        .as(where)
                        .contains("ALL");
            }
            Map<String, String> labels =
                    deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertThat(budgets)
                    .as(name + " has a PodDisruptionBudget")
                    .anyMatch(b -> labels.entrySet()
                            .containsAll(
                                    b.getSpec().getSelector().getMatchLabels().entrySet()));
        }
        assertThat(KubernetesObjects.ofKind(objects, Secret.class))
                .as(origin + ": Secrets are created by the operator, never shipped with values")
                .isEmpty();
    }

    @Test
    void secretsAreReferencedNeverWrittenIntoTheManifests() {
        for (Deployment deployment : KubernetesObjects.ofKind(Kustomizations.baseObjects(), Deployment.class)) {
            for (Container container :
                    deployment.getSpec().getTemplate().getSpec().getContainers()) {
                Set<String> fromSecrets = container.getEnv().stream()
                        .filter(env ->
                                env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null)
                        .map(io.fabric8.kubernetes.api.model.EnvVar::getName)
                        .collect(Collectors.toSet());
                for (var env : container.getEnv()) {
                    String where = deployment.getMetadata().getName() + " " + env.getName();
                    if (!env.getName().matches(".*(KEY|PASSWORD|TOKEN|SECRET|JAAS|USERNAME).*")) {
                        continue;
                    }
                    if (env.getValue() == null) {
                        assertThat(env.getValueFrom().getSecretKeyRef())
                                .as(where)
                                .isNotNull();
                        continue;
                    }
                    // A literal may only assemble Secret-backed variables (the SASL JAAS line), never hold one.
                    java.util.regex.Matcher reference = java.util.regex.Pattern.compile("\\$\\(([A-Z_]+)\\)")
                            .matcher(env.getValue());
                    int references = 0;
                    while (reference.find()) {
                        assertThat(fromSecrets)
                                .as(where + " refers to a Secret")
                                .contains(reference.group(1));
                        references++;
                    }
                    assertThat(references)
                            .as(where + " is built from Secret references")
                            .isPositive();
                    assertThat(env.getValue()).as(where).doesNotContainPattern("password=\"[^$]");
                }
            }
        }
        Map<String, String> placeholders = new LinkedHashMap<>();
        for (HasMetadata object : KubernetesObjects.read(Repo.path("deploy/kubernetes/secrets.example.yaml"))) {
            ((Secret) object)
                    .getStringData()
                    .forEach((k, v) -> placeholders.put(object.getMetadata().getName() + "." + k, v));
        }
        assertThat(placeholders)
                .containsKeys(
                        "agentry-keys.sealing-keys",
                        "agentry-keys.jwt-keys",
                        "agentry-database.password",
                        "agentry-kafka.password");
        placeholders.forEach((key, value) -> {
            if (key.matches(".*(keys|password|token|key)$")) {
                assertThat(value).as(key).contains("REPLACE_WITH");
            }
        });
    }
}
