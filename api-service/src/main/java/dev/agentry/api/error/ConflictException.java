package dev.agentry.api.error;

import java.util.Map;

/** The resource's state does not allow the operation now (a duplicate name, cancelling a finished task). */
public final class ConflictException extends DomainException {

    public ConflictException(String message) {
        this("conflict", message);
    }

    public ConflictException(String error, String message) {
        super(error, message, Map.of());
    }
}
