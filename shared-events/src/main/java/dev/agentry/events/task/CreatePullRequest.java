package dev.agentry.events.task;

import dev.agentry.events.secret.SealedSecret;
import org.jspecify.annotations.Nullable;

/**
 * Push the task branch and open a pull request for it, on the worker that holds the task's workspace. A worker
 * that is not {@code workerId} ignores it. The worker answers with {@link TaskPullRequestCreated} or
 * {@link TaskPullRequestFailed} for the same {@code iteration}.
 *
 * @param iteration the task's current iteration, echoed in the answer so the API ignores stale answers
 * @param title the pull request title; null or blank means one derived from the prompt
 * @param description the pull request body; null or blank means one derived from the task
 * @param targetBranch the base branch; null means the task's target branch, else the repository's default
 * @param prompt the task's latest prompt, for a derived title and body
 * @param accessToken the git token, sealed; null lets the worker fail with a clear error
 */
public record CreatePullRequest(
        String workerId,
        int iteration,
        String repoUrl,
        @Nullable String title,
        @Nullable String description,
        @Nullable String targetBranch,
        String prompt,
        @Nullable SealedSecret accessToken)
        implements TaskControl {

    public static final String TYPE = "task.create_pr";

    @Override
    public String type() {
        return TYPE;
    }
}
