package dev.agentry.api.error;

import java.util.Map;

/** A request that breaks the contract; {@link #fields()} names each offending field and why. */
public final class InvalidRequestException extends DomainException {

    public InvalidRequestException(Map<String, String> fields) {
        super("invalid request", describe(fields), fields);
    }

    /** One field at fault: {@code field("limit", "must be between 1 and 100")}. */
    public static InvalidRequestException field(String field, String problem) {
        return new InvalidRequestException(Map.of(field, problem));
    }

    public InvalidRequestException(String error, String message) {
        super(error, message, Map.of());
    }

    private static String describe(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder("Invalid request: ");
        fields.forEach(
                (field, problem) -> sb.append(field).append(' ').append(problem).append("; "));
        return sb.substring(0, sb.length() - 2) + ".";
    }
}
