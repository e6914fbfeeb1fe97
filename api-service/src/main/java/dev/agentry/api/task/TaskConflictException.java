package dev.agentry.api.task;

/** The task's state does not allow the operation now (cancel a finished task, instruct a running one). */
public class TaskConflictException extends RuntimeException {

    public TaskConflictException(String message) {
        super(message);
    }
}
