package dev.agentry.events.codec;

/** A record that is not a message this codec can read. Not retryable: the bytes will not change. */
public class UndecodableMessageException extends RuntimeException {

    public UndecodableMessageException(String message) {
        super(message);
    }

    public UndecodableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
