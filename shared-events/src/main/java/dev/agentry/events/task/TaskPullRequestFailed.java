package dev.agentry.events.task;

import org.jspecify.annotations.Nullable;

/**
 * Creating the pull request failed; the task goes back to the status it had ({@code completed}) with the error
 * recorded, and can be tried again. Not terminal: the task itself did not end here.
 *
 * @param error a sentence for people, credentials removed
 * @param reason the machine-readable cause, which the API maps to its answer
 * @param branch the task branch, when the worker got as far as knowing it
 */
public record TaskPullRequestFailed(
        int iteration,
        String error,
        Reason reason,
        @Nullable String branch) implements TaskEvent {

    public static final String TYPE = "task.pr_failed";

    @Override
    public String type() {
        return TYPE;
    }

    public enum Reason {
        /** The task branch has no commits beyond its base (or beyond the target branch, says GitHub). */
        NO_CHANGES,
        /** GitHub does not know the target branch. */
        INVALID_BASE,
        /** No token, or git or GitHub refused the token (401, 403 without rate limit, 404 on the repository). */
        BAD_TOKEN,
        /** The repository is not on a host configured as GitHub. */
        NOT_GITHUB,
        /** GitHub kept rate-limiting after the retries. */
        RATE_LIMITED,
        /** git push failed for another reason. */
        PUSH_FAILED,
        /** GitHub answered something else that is not a pull request. */
        GITHUB_ERROR,
        /** The worker no longer has the task's workspace. */
        WORKSPACE_LOST
    }
}
