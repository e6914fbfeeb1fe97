package dev.agentry.worker.workspace;

/** A follow-up iteration needs the task's workspace and this worker no longer has it. Not retryable here. */
public class WorkspaceLostException extends RuntimeException {

    public WorkspaceLostException(String message) {
        super(message);
    }
}
