package dev.agentry.worker.pullrequest;

/** git push failed; {@code authentication} when the remote refused the token. The message holds no credential. */
final class PushFailedException extends RuntimeException {

    private final boolean authentication;

    PushFailedException(String message, boolean authentication) {
        super(message);
        this.authentication = authentication;
    }

    boolean authentication() {
        return authentication;
    }
}
