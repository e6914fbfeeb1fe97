package dev.agentry.worker.runtime;

/** This worker cannot run the task as asked (an unknown runtime, a runtime not configured here). Not retryable. */
public class UnsupportedTaskException extends RuntimeException {

    public UnsupportedTaskException(String message) {
        super(message);
    }
}
