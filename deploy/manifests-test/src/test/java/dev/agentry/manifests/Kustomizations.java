package dev.agentry.manifests;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The kustomizations of deploy/kubernetes: the files they name, and their rendering where kubectl is installed. */
final class Kustomizations {

    static final List<String> ALL = List.of("base", "overlays/local", "overlays/production");

    private Kustomizations() {}

    static Path dir(String kustomization) {
        return Repo.path("deploy/kubernetes/" + kustomization);
    }

    static Map<String, Object> file(String kustomization) {
        return Repo.yaml("deploy/kubernetes/" + kustomization + "/kustomization.yaml");
    }

    /** The files and directories the kustomization names: resources and patches. */
    @SuppressWarnings("unchecked")
    static List<Path> references(String kustomization) {
        Map<String, Object> file = file(kustomization);
        List<Path> references = new ArrayList<>();
        for (Object resource : (List<Object>) file.getOrDefault("resources", List.of())) {
            references.add(dir(kustomization).resolve((String) resource).normalize());
        }
        for (Object patch : (List<Object>) file.getOrDefault("patches", List.of())) {
            Object path = ((Map<String, Object>) patch).get("path");
            if (path != null) {
                references.add(dir(kustomization).resolve((String) path).normalize());
            }
        }
        return references;
    }

    /** The base's objects, read from the files its kustomization lists. */
    static List<HasMetadata> baseObjects() {
        List<HasMetadata> objects = new ArrayList<>();
        for (Path resource : references("base")) {
            objects.addAll(KubernetesObjects.read(resource));
        }
        return objects;
    }

    /** {@code kubectl kustomize <dir>}, when kubectl is on the PATH; empty otherwise. */
    static Optional<String> render(String kustomization) {
        if (!kubectlInstalled()) {
            return Optional.empty();
        }
        try {
            Process kubectl = new ProcessBuilder(
                            "kubectl", "kustomize", dir(kustomization).toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kubectl.waitFor(30, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + kustomization + " failed: " + output);
            }
            return Optional.of(output);
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize " + kustomization + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static boolean kubectlInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }
}
