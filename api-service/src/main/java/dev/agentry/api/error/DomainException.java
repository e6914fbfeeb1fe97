package dev.agentry.api.error;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the caller is told about. {@link #error()} is the short, stable name of what went wrong (seed 004's
 * {@code error} member, e.g. {@code task not found}); the message is the sentence for a human; {@link #fields()}
 * names each offending field and why. The kind of failure is the subclass, never a status code.
 */
public abstract sealed class DomainException extends RuntimeException
        permits NotFoundException,
                ForbiddenException,
                ConflictException,
                InvalidRequestException,
                UnprocessableException,
                UnavailableException,
                QuotaExceededException,
                UnauthorizedException,
                UpstreamFailedException {

    private final String error;
    private final Map<String, String> fields;

    DomainException(String error, String message, Map<String, String> fields) {
        super(message);
        this.error = error;
        this.fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String error() {
        return error;
    }

    /** In the order the check found them; empty when no single field is at fault. */
    public Map<String, String> fields() {
        return fields;
    }
}
