package dev.agentry.worker.workspace;

/** {@code git clone} failed. The message starts with {@code clone failed:} and holds no credential. */
public class CloneFailedException extends RuntimeException {

    public CloneFailedException(String detail) {
        super("clone failed: " + detail);
    }
}
