package dev.agentry.worker.execution;

/** What the queue does with the command after a run. */
public enum TaskRunResult {
    /** A terminal event was sent and acknowledged by Kafka: accept the command. */
    FINISHED,
    /**
     * The run was given up without a terminal event (the worker is stopping, or the terminal event could not be
     * sent): release the command so another worker runs it again.
     */
    ABANDONED
}
