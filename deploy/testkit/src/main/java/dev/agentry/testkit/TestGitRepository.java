package dev.agentry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real git remote on the local disk: a bare repository with one commit on {@code main}, reachable by a
 * {@code file://} URL. Stands in for GitHub in tests of cloning (workers must be allowed local repositories).
 */
public final class TestGitRepository {

    private final Path bare;

    private TestGitRepository(Path bare) {
        this.bare = bare;
    }

    /** A bare repository whose {@code main} branch holds {@code files} (path to content) in one commit. */
    public static TestGitRepository withFiles(Map<String, String> files) {
        try {
            Path root = Files.createTempDirectory("agentry-git-");
            Path work = root.resolve("work");
            Path bare = root.resolve("remote.git");
            createBare(work, bare, files);
            return new TestGitRepository(bare);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Commits {@code files} on {@code main} in a new work tree {@code work} and clones it as the bare repository
     * {@code bare}, which is what the remotes of the tests serve.
     */
    static void createBare(Path work, Path bare, Map<String, String> files) throws IOException {
        Files.createDirectories(work);
        git(work, "init", "--quiet", "--initial-branch=main");
        for (var file : files.entrySet()) {
            Path path = work.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        git(work, "add", "-A");
        git(work, "-c", "user.name=Test", "-c", "user.email=test@localhost", "commit", "--quiet", "-m", "Initial");
        Files.createDirectories(bare.getParent());
        git(work.getParent(), "clone", "--quiet", "--bare", work.toString(), bare.toString());
    }

    public static TestGitRepository withReadme() {
        return withFiles(Map.of("README.md", "# Test repository\n\nFirst line.\n"));
    }

    public String url() {
        return bare.toUri().toString();
    }

    public Path path() {
        return bare;
    }

    private static void git(Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
