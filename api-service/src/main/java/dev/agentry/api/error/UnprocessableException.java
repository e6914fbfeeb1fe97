package dev.agentry.api.error;

import java.util.Map;

/** A well-formed request that cannot be carried out as asked (a key reused with another body, a remote off GitHub). */
public final class UnprocessableException extends DomainException {

    public UnprocessableException(String error, String message, Map<String, String> fields) {
        super(error, message, fields);
    }
}
