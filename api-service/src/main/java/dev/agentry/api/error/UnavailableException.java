package dev.agentry.api.error;

import java.time.Duration;
import java.util.Map;

/** Something the request depends on cannot serve it now; worth retrying after {@link #retryAfter()}. */
public final class UnavailableException extends DomainException {

    private final Duration retryAfter;

    public UnavailableException(String error, String message, Duration retryAfter) {
        super(error, message, Map.of());
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
