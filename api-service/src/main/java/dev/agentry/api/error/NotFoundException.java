package dev.agentry.api.error;

import java.util.Map;

/** A resource the caller's tenant does not have, or may not know exists. */
public final class NotFoundException extends DomainException {

    public NotFoundException(String error, String message) {
        super(error, message, Map.of());
    }
}
