package dev.agentry.worker.execution;

import dev.agentry.events.task.TaskFailed.FailureReason;

/**
 * Why a run did not complete, typed the way Conductor types task failures ({@code FAILED_WITH_TERMINAL_ERROR}
 * versus a retryable {@code FAILED}), so the one place that decides ({@link FailureClassifier}) is the one place
 * to read.
 */
sealed interface RunFailure {

    /**
     * The task iteration fails for good: one {@code task.failed} with {@code reason}, the command is accepted and
     * never runs again.
     *
     * @param measured whether the event carries the run's duration (the run was under way: timeout, cancellation,
     *     a worker error), rather than no usage at all (refused or failed before it ran)
     */
    record Terminal(FailureReason reason, String error, boolean measured) implements RunFailure {}

    /**
     * Not the task's failure (the worker is stopping under it): no terminal event; the command is released and
     * Kafka delivers it again, here or to another worker.
     */
    record Transient(String why) implements RunFailure {}
}
