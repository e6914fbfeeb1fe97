package dev.agentry.worker.pullrequest;

import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.git.Git;
import dev.agentry.worker.git.Redactor;
import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pushes a task branch. The push runs from a bare repository of ours outside the workspace
 * ({@code <workspace-root>/.agentry/push/<task id>.git}, borrowing the workspace's objects through git alternates),
 * never from the workspace itself: the agent could have written the workspace's {@code .git/config} (a remote URL,
 * {@code insteadOf}, a proxy) or a {@code pre-push} hook to send the token elsewhere. The URL is the task's,
 * remembered in that bare repository for later pushes.
 */
@Component
class BranchPushes {

    private static final Logger log = LoggerFactory.getLogger(BranchPushes.class);

    private final WorkerProperties worker;
    private final Git git;

    BranchPushes(WorkerProperties worker, Git git) {
        this.worker = worker;
        this.git = git;
    }

    /**
     * Pushes the task branch to {@code repoUrl}, hooks off, the token only in the environment.
     *
     * @throws PushFailedException saying why, with no credential
     */
    void push(UUID taskId, Path workspace, String branch, String repoUrl, @Nullable String token, ProcessScope scope) {
        Path mirror = mirror(taskId, workspace, scope);
        String head = git.run(workspace, scope, "rev-parse", "HEAD").strip();
        git.run(mirror, scope, "update-ref", "refs/heads/" + branch, head);
        List<String> args = List.of(
                "push",
                "--porcelain",
                "--no-verify",
                "--",
                repoUrl.strip(),
                "refs/heads/" + branch + ":refs/heads/" + branch);
        List<String> output = new ArrayList<>();
        ProcessResult result;
        try {
            result = git.remote(mirror, scope, token, args, output::add);
        } catch (UncheckedIOException e) {
            throw new PushFailedException(Redactor.redact("git push failed: " + e.getMessage(), token), false);
        }
        if (!result.succeeded()) {
            List<String> lines = new ArrayList<>(output);
            lines.addAll(result.lastErrorLines());
            String text = Redactor.redact(String.join("\n", lines), token);
            String lower = text.toLowerCase(Locale.ROOT);
            boolean authentication = lower.contains("authentication failed")
                    || lower.contains("could not read username")
                    || lower.contains("could not read password")
                    || lower.contains("invalid username or password")
                    || lower.contains("permission to")
                    || lower.contains(" 401")
                    || lower.contains(" 403");
            String tail = lines.isEmpty() ? "git exited with " + result.exitCode() : lastLines(text, 5);
            throw new PushFailedException("git push failed: " + tail, authentication);
        }
        git.run(mirror, scope, "config", "agentry.remote", repoUrl.strip());
    }

    /** Where the task branch was pushed, once it was: later iterations push there too. */
    Optional<String> pushedTo(UUID taskId, ProcessScope scope) {
        Path mirror = mirrorPath(taskId);
        if (!Files.isDirectory(mirror)) {
            return Optional.empty();
        }
        return git.optional(mirror, scope, "config", "--get", "agentry.remote").filter(v -> !v.isBlank());
    }

    private Path mirrorPath(UUID taskId) {
        return worker.workspaceRoot().resolve(".agentry").resolve("push").resolve(taskId + ".git");
    }

    private Path mirror(UUID taskId, Path workspace, ProcessScope scope) {
        Path mirror = mirrorPath(taskId);
        try {
            if (!Files.isDirectory(mirror)) {
                removeOrphanedMirrors();
                Files.createDirectories(mirror.getParent());
                git.run(mirror.getParent(), scope, "init", "-q", "--bare", mirror.toString());
            }
            Files.writeString(
                    mirror.resolve("objects").resolve("info").resolve("alternates"),
                    workspace.resolve(".git").resolve("objects").toAbsolutePath() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the push repository of task " + taskId, e);
        }
        return mirror;
    }

    /** Push repositories whose workspace is gone (deleted, expired) go too. */
    private void removeOrphanedMirrors() {
        Path dir = mirrorPath(UUID.randomUUID()).getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> mirrors = Files.list(dir)) {
            for (Path mirror : mirrors.toList()) {
                String name = mirror.getFileName().toString().replaceFirst("\\.git$", "");
                if (!Files.isDirectory(worker.workspaceRoot().resolve(name))) {
                    deleteRecursively(mirror);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            log.warn("Old push repositories under {} could not be removed: {}", dir, e.getMessage());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
