package dev.agentry.worker.pullrequest;

import dev.agentry.events.task.TaskPullRequestFailed.Reason;
import org.jspecify.annotations.Nullable;

/** Why a pull request could not be created, typed for the answer event. The message holds no credential. */
final class PullRequestFailure extends RuntimeException {

    private final Reason reason;
    private final @Nullable String branch;

    PullRequestFailure(Reason reason, String message, @Nullable String branch) {
        super(message);
        this.reason = reason;
        this.branch = branch;
    }

    Reason reason() {
        return reason;
    }

    @Nullable
    String branch() {
        return branch;
    }
}
