package dev.agentry.worker.pullrequest;

import dev.agentry.worker.git.Git;
import dev.agentry.worker.git.Redactor;
import dev.agentry.worker.process.ProcessScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The task branch in a workspace. The first commit moves the workspace onto {@code <prefix><short id>} and
 * remembers the base it started from ({@code git config agentry.base}, {@code agentry.base-branch}); every
 * iteration with changes adds one commit, its message derived from the prompt, its author the worker's git
 * identity. After the first push ({@link BranchPushes}) every later commit is pushed too, to the same URL, so an
 * open pull request follows the task.
 */
@Component
@EnableConfigurationProperties(TaskBranchProperties.class)
public class TaskBranches {

    private static final Logger log = LoggerFactory.getLogger(TaskBranches.class);
    private static final int SUBJECT_LIMIT = 72;

    private final TaskBranchProperties properties;
    private final Git git;
    private final BranchPushes pushes;

    TaskBranches(TaskBranchProperties properties, Git git, BranchPushes pushes) {
        this.properties = properties;
        this.git = git;
        this.pushes = pushes;
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
            Optional<String> remote = commit == null ? Optional.empty() : pushes.pushedTo(taskId, scope);
            if (remote.isPresent()) {
                pushes.push(taskId, workspace, branch, remote.get(), token, scope);
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
                git.run(workspace, scope, "rev-parse", "--abbrev-ref", "HEAD").strip();
        if (current.equals(branch)) {
            return branch;
        }
        if (config(workspace, scope, "agentry.base").isEmpty()) {
            Optional<String> upstream = git.optional(workspace, scope, "rev-parse", "--abbrev-ref", "@{upstream}");
            String baseRef = upstream.orElse("HEAD");
            String base = git.run(workspace, scope, "rev-parse", baseRef).strip();
            git.run(workspace, scope, "config", "agentry.base", base);
            String baseBranch =
                    upstream.map(u -> u.substring(u.indexOf('/') + 1)).orElse(current);
            if (!baseBranch.isBlank() && !baseBranch.equals("HEAD")) {
                git.run(workspace, scope, "config", "agentry.base-branch", baseBranch);
            }
        }
        git.run(workspace, scope, "checkout", "-q", "-B", branch);
        return branch;
    }

    /** Commits everything in the workspace, untracked files included; null when there was nothing to commit. */
    @Nullable
    String commit(UUID taskId, Path workspace, int iteration, String prompt, ProcessScope scope) {
        git.run(workspace, scope, "add", "-A");
        if (git.succeeds(workspace, scope, "diff", "--cached", "--quiet")) {
            return null;
        }
        Path message = workspace.resolve(".git").resolve("AGENTRY_COMMIT_MSG");
        try {
            Files.writeString(message, commitMessage(taskId, iteration, prompt));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git.run(workspace, scope, "commit", "-q", "--no-verify", "-F", message.toString());
        String commit = git.run(workspace, scope, "rev-parse", "HEAD").strip();
        log.info("Task {} iteration {} committed {} on {}.", taskId, iteration, commit, branchName(taskId));
        return commit;
    }

    /** Commits on the task branch beyond the base it started from. */
    int commitsAhead(Path workspace, ProcessScope scope) {
        Optional<String> base = config(workspace, scope, "agentry.base");
        if (base.isEmpty()) {
            return 0;
        }
        return Integer.parseInt(git.run(workspace, scope, "rev-list", "--count", base.get() + "..HEAD")
                .strip());
    }

    /** The branch the task started from, for a pull request's base. */
    Optional<String> baseBranch(Path workspace, ProcessScope scope) {
        return config(workspace, scope, "agentry.base-branch");
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

    private Optional<String> config(Path workspace, ProcessScope scope, String key) {
        return git.optional(workspace, scope, "config", "--get", key).filter(v -> !v.isBlank());
    }
}
