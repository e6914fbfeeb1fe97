package dev.agentry.api.error;

import java.util.Map;

/** The request's credentials are wrong, expired or gone. */
public final class UnauthorizedException extends DomainException {

    public UnauthorizedException(String error, String message) {
        super(error, message, Map.of());
    }
}
