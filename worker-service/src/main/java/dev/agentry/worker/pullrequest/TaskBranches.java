package dev.agentry.worker.pullrequest;

import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessSpec;
import dev.agentry.worker.workspace.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The task branch in a workspace. The first commit moves the workspace onto {@code <prefix><short id>} and
 * remembers the base it started from ({@code git config agentry.base}, {@code agentry.base-branch}); every
 * iteration with changes adds one commit, its message derived from the prompt, its author the worker's git
 * identity. Pushing hands the token to git only through the environment, read back by a {@code GIT_ASKPASS}
 * script (credential helpers off): never argv, never {@code .git/config}, never a log line. After the first push
 * every later commit is pushed too, to the same URL, so an open pull request follows the task.
 */
@Component
@EnableConfigurationProperties(TaskBranchProperties.class)
public class TaskBranches {

    private static final Logger log = LoggerFactory.getLogger(TaskBranches.class);
    private static final String TOKEN_VARIABLE = "AGENTRY_PUSH_TOKEN";
    private static final String ASKPASS = """
            #!/bin/sh
            case "$1" in
              Username*) printf '%s\\n' "x-access-token" ;;
              *) printf '%s\\n' "$AGENTRY_PUSH_TOKEN" ;;
            esac
            """;
    private static final int SUBJECT_LIMIT = 72;

    private final WorkerProperties worker;
    private final TaskBranchProperties properties;
    private final Path askpass;

    public TaskBranches(WorkerProperties worker, TaskBranchProperties properties) {
        this.worker = worker;
        this.properties = properties;
        this.askpass = writeAskpass(worker.workspaceRoot());
    }

    public String branchName(UUID taskId) {
        return properties.branchPrefix() + taskId.toString().substring(0, 8);
    }

    /** What {@link #commitIteration} did. */
    public record Committed(String branch, @Nullable String commit, boolean pushed) {}

    /**
     * Commits what an iteration left in the workspace to the task branch, and pushes it when the branch was pushed
     * before (a pull request is open). Call it after a successful iteration; it never fails the iteration.
     *
     * @param token the task's git token, for the push; may be null when the branch was never pushed
     */
    public Optional<Committed> commitIteration(
            UUID taskId, Path workspace, int iteration, String prompt, @Nullable String token, ProcessScope scope) {
        try {
            String branch = checkout(taskId, workspace, scope);
            String commit = commit(taskId, workspace, iteration, prompt, scope);
            boolean pushed = false;
            Optional<String> remote = commit == null ? Optional.empty() : pushedTo(taskId, scope);
            if (remote.isPresent()) {
                push(taskId, workspace, branch, remote.get(), token, scope);
                pushed = true;
                log.info("Task {} iteration {} pushed {} to {}.", taskId, iteration, commit, branch);
            }
            return Optional.of(new Committed(branch, commit, pushed));
        } catch (RuntimeException e) {
            log.warn(
                    "Task {} iteration {} could not be committed to its branch: {}",
                    taskId,
                    iteration,
                    Redactor.redact(String.valueOf(e.getMessage()), token));
            return Optional.empty();
        }
    }

    /** Puts the workspace on the task branch, remembering the base on the first move. */
    String checkout(UUID taskId, Path workspace, ProcessScope scope) {
        String branch = branchName(taskId);
        String current =
                git(workspace, scope, "rev-parse", "--abbrev-ref", "HEAD").strip();
        if (current.equals(branch)) {
            return branch;
        }
        if (config(workspace, scope, "agentry.base").isEmpty()) {
            Optional<String> upstream = optional(workspace, scope, "rev-parse", "--abbrev-ref", "@{upstream}");
            String baseRef = upstream.orElse("HEAD");
            String base = git(workspace, scope, "rev-parse", baseRef).strip();
            git(workspace, scope, "config", "agentry.base", base);
            String baseBranch =
                    upstream.map(u -> u.substring(u.indexOf('/') + 1)).orElse(current);
            if (!baseBranch.isBlank() && !baseBranch.equals("HEAD")) {
                git(workspace, scope, "config", "agentry.base-branch", baseBranch);
            }
        }
        git(workspace, scope, "checkout", "-q", "-B", branch);
        return branch;
    }

    /** Commits everything in the workspace, untracked files included; null when there was nothing to commit. */
    @Nullable
    String commit(UUID taskId, Path workspace, int iteration, String prompt, ProcessScope scope) {
        git(workspace, scope, "add", "-A");
        ProcessResult staged = scope.run(
                new ProcessSpec(List.of("git", "diff", "--cached", "--quiet"), workspace, identity(), false),
                line -> {});
        if (staged.succeeded()) {
            return null;
        }
        Path message = workspace.resolve(".git").resolve("AGENTRY_COMMIT_MSG");
        try {
            Files.writeString(message, commitMessage(taskId, iteration, prompt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(workspace, scope, "commit", "-q", "--no-verify", "-F", message.toString());
        String commit = git(workspace, scope, "rev-parse", "HEAD").strip();
        log.info("Task {} iteration {} committed {} on {}.", taskId, iteration, commit, branchName(taskId));
        return commit;
    }

    /** Commits on the task branch beyond the base it started from. */
    int commitsAhead(Path workspace, ProcessScope scope) {
        Optional<String> base = config(workspace, scope, "agentry.base");
        if (base.isEmpty()) {
            return 0;
        }
        return Integer.parseInt(git(workspace, scope, "rev-list", "--count", base.get() + "..HEAD")
                .strip());
    }

    /** The branch the task started from, for a pull request's base. */
    Optional<String> baseBranch(Path workspace, ProcessScope scope) {
        return config(workspace, scope, "agentry.base-branch");
    }

    /**
     * Pushes the task branch to {@code repoUrl}. The push runs from a bare repository of ours outside the workspace
     * ({@code <workspace-root>/.agentry/push/<task id>.git}, borrowing the workspace's objects through git
     * alternates), never from the workspace itself: the agent could have written the workspace's
     * {@code .git/config} (a remote URL, {@code insteadOf}, a proxy) or a {@code pre-push} hook to send the token
     * elsewhere. Hooks are off and credential helpers too; the URL is the task's, remembered for later pushes.
     *
     * @throws PushFailedException saying why, with no credential
     */
    void push(UUID taskId, Path workspace, String branch, String repoUrl, @Nullable String token, ProcessScope scope) {
        Path mirror = mirror(taskId, workspace, scope);
        String head = git(workspace, scope, "rev-parse", "HEAD").strip();
        git(mirror, scope, "update-ref", "refs/heads/" + branch, head);
        List<String> argv = List.of(
                "git",
                "-c",
                "credential.helper=",
                "-c",
                "core.hooksPath=/dev/null",
                "-c",
                "protocol.ext.allow=never",
                "-c",
                "protocol.file.allow=" + (worker.allowLocalRepos() ? "always" : "never"),
                "push",
                "--porcelain",
                "--no-verify",
                "--",
                repoUrl.strip(),
                "refs/heads/" + branch + ":refs/heads/" + branch);
        Map<String, String> env = new HashMap<>(identity());
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", askpass.toString());
        if (token != null) {
            env.put(TOKEN_VARIABLE, token);
        }
        List<String> output = new ArrayList<>();
        ProcessResult result;
        try {
            result = scope.run(new ProcessSpec(argv, mirror, env, true), output::add);
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
        git(mirror, scope, "config", "agentry.remote", repoUrl.strip());
    }

    /** Where the task branch was pushed, once it was: later iterations push there too. */
    Optional<String> pushedTo(UUID taskId, ProcessScope scope) {
        Path mirror = mirrorPath(taskId);
        if (!Files.isDirectory(mirror)) {
            return Optional.empty();
        }
        return config(mirror, scope, "agentry.remote");
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
                git(mirror.getParent(), scope, "init", "-q", "--bare", mirror.toString());
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

    /** The first line of the prompt as the subject (at most 72 characters), the whole prompt as the body. */
    static String commitMessage(UUID taskId, int iteration, String prompt) {
        String trimmed = prompt.strip();
        String firstLine = trimmed.lines().findFirst().orElse("").strip();
        String subject = firstLine.isEmpty() ? "Agentry task " + taskId : firstLine;
        if (subject.length() > SUBJECT_LIMIT) {
            int cut = subject.lastIndexOf(' ', SUBJECT_LIMIT - 1);
            subject = subject.substring(0, cut > SUBJECT_LIMIT / 2 ? cut : SUBJECT_LIMIT - 1) + "…";
        }
        StringBuilder message = new StringBuilder(subject).append("\n\n");
        if (!trimmed.equals(subject)) {
            message.append(trimmed).append("\n\n");
        }
        message.append("Agentry-Task: ").append(taskId).append('\n');
        message.append("Agentry-Iteration: ").append(iteration).append('\n');
        return message.toString();
    }

    private Map<String, String> identity() {
        WorkerProperties.Git git = worker.git();
        return Map.of(
                "GIT_AUTHOR_NAME", git.authorName(),
                "GIT_AUTHOR_EMAIL", git.authorEmail(),
                "GIT_COMMITTER_NAME", git.authorName(),
                "GIT_COMMITTER_EMAIL", git.authorEmail());
    }

    private Optional<String> config(Path workspace, ProcessScope scope, String key) {
        return optional(workspace, scope, "config", "--get", key).filter(v -> !v.isBlank());
    }

    private Optional<String> optional(Path workspace, ProcessScope scope, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        StringBuilder out = new StringBuilder();
        ProcessResult result = scope.run(
                new ProcessSpec(argv, workspace, identity(), false),
                line -> out.append(line).append('\n'));
        return result.succeeded() ? Optional.of(out.toString().strip()) : Optional.empty();
    }

    private String git(Path workspace, ProcessScope scope, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        StringBuilder out = new StringBuilder();
        ProcessResult result = scope.run(
                new ProcessSpec(argv, workspace, identity(), false),
                line -> out.append(line).append('\n'));
        if (!result.succeeded()) {
            throw new IllegalStateException("git " + args[0] + " failed: " + result.errorTail());
        }
        return out.toString();
    }

    private static String lastLines(String text, int count) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    private static Path writeAskpass(Path root) {
        try {
            Path dir = Files.createDirectories(root.resolve(".agentry"));
            Path script = dir.resolve("git-push-askpass.sh");
            Files.writeString(script, ASKPASS);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the workspace root " + root, e);
        }
    }
}
