package dev.agentry.api.task;

/** The Idempotency-Key was already used, within its window, for a request with a different body. */
public class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String key) {
        super("Idempotency-Key " + key + " was already used with a different request body.");
    }
}
