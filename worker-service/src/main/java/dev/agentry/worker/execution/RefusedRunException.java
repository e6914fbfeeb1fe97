package dev.agentry.worker.execution;

import dev.agentry.events.task.TaskFailed.FailureReason;

/** The worker will not run this command at all (delivered too often, workspace gone, a run in the way). */
final class RefusedRunException extends RuntimeException {

    private final FailureReason reason;

    RefusedRunException(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    FailureReason reason() {
        return reason;
    }
}
