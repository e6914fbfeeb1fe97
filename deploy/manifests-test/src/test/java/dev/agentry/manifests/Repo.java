package dev.agentry.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The repository the tests check, found from the module's working directory, and its YAML files. */
final class Repo {

    private static final Path ROOT = findRoot();

    private Repo() {}

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        return read(path(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file, as maps; empty documents are left out. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(Path file) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(read(file))) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static Map<String, Object> yaml(String relative) {
        List<Map<String, Object>> documents = yamlDocuments(path(relative));
        if (documents.size() != 1) {
            throw new AssertionError(relative + " has " + documents.size() + " documents, expected one");
        }
        return documents.getFirst();
    }

    static List<Path> files(String relativeDirectory, String suffix) {
        try (Stream<Path> files = Files.walk(path(relativeDirectory))) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/kubernetes")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "not inside the Agentry repository: " + Path.of("").toAbsolutePath());
    }
}
