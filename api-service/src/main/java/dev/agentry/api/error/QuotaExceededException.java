package dev.agentry.api.error;

import java.time.Duration;
import java.util.Map;

/** A quota or rate limit is spent until {@link #retryAfter()} from now. */
public final class QuotaExceededException extends DomainException {

    private final Duration retryAfter;

    public QuotaExceededException(String error, String message, Duration retryAfter) {
        super(error, message, Map.of());
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
