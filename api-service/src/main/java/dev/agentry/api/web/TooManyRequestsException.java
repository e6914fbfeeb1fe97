package dev.agentry.api.web;

import java.time.Duration;

/** A quota or rate limit is spent: 429 with {@code Retry-After}. */
public class TooManyRequestsException extends RuntimeException {

    private final String error;
    private final Duration retryAfter;

    public TooManyRequestsException(String error, String message, Duration retryAfter) {
        super(message);
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public String error() {
        return error;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, at least one: what the header carries. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
