package dev.agentry.api.error;

import java.util.Map;
import java.util.UUID;

/** A resource the caller's tenant does not have, or may not know exists. */
public final class NotFoundException extends DomainException {

    public NotFoundException(String error, String message) {
        super(error, message, Map.of());
    }

    /** No {@code what} (a lower-case noun such as {@code user}) with this id: {@code "<what> not found"}. */
    public static NotFoundException of(String what, UUID id) {
        return new NotFoundException(what + " not found", "No " + what + " " + id + ".");
    }
}
