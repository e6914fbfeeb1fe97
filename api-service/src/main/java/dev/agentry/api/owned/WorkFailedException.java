package dev.agentry.api.owned;

/** The work the request waited for (an assistant turn) failed; what was stored before it stays. */
public class WorkFailedException extends RuntimeException {

    public WorkFailedException(String message) {
        super(message);
    }
}
