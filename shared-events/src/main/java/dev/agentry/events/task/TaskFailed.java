package dev.agentry.events.task;

import org.jspecify.annotations.Nullable;

/**
 * The iteration failed.
 *
 * @param error a sentence for people, such as {@code clone failed: repository not found}
 * @param reason the machine-readable cause
 */
public record TaskFailed(
        int iteration,
        String error,
        FailureReason reason,
        @Nullable Usage usage,
        @Nullable ChangesSummary changes) implements TaskEvent {

    public static final String TYPE = "task.failed";

    @Override
    public String type() {
        return TYPE;
    }

    public enum FailureReason {
        /** The repository could not be cloned. */
        CLONE,
        /** The agent runtime exited non-zero or reported an error. */
        RUNTIME,
        /** The run exceeded {@code timeout_seconds}. */
        TIMEOUT,
        /** The task asked for something this worker cannot do (unknown runtime, unusable secret, refused URL). */
        INVALID,
        /** The worker running it went away and the task could not be run again. */
        WORKER_LOST,
        /** A client cancelled it. */
        CANCELLED,
        /** A follow-up iteration needs the task's workspace, and the worker that held it no longer has it. */
        WORKSPACE_LOST
    }
}
