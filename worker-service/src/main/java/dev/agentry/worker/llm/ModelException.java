package dev.agentry.worker.llm;

import org.jspecify.annotations.Nullable;

/**
 * A model call that failed. Its message names the provider, the status and the API's own error message, never a
 * key.
 *
 * @see #transientFailure()
 */
public class ModelException extends RuntimeException {

    private final int status;
    private final boolean transientFailure;

    public ModelException(String message, int status, boolean transientFailure, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
    }

    /** The HTTP status, or 0 when the API could not be reached or answered no status. */
    public int status() {
        return status;
    }

    /** Rate limits, overload, server errors and I/O failures: worth another try after a pause. */
    public boolean transientFailure() {
        return transientFailure;
    }

    static boolean transientStatus(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }
}
