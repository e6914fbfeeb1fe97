package dev.agentry.api.error;

import java.util.Map;

/**
 * A resource of the caller's tenant that belongs to another user of it (a conversation, a notification): the
 * caller may know it exists, but not touch it.
 */
public final class ForbiddenException extends DomainException {

    public ForbiddenException(String error, String message) {
        super(error, message, Map.of());
    }
}
