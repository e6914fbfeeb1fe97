package dev.agentry.api.task;

import java.util.Map;

/** A request that breaks the contract; {@link #fields()} names each offending field and why. */
public class InvalidRequestException extends RuntimeException {

    private final Map<String, String> fields;

    public InvalidRequestException(Map<String, String> fields) {
        super(describe(fields));
        this.fields = Map.copyOf(fields);
    }

    public Map<String, String> fields() {
        return fields;
    }

    private static String describe(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder("Invalid request: ");
        fields.forEach(
                (field, problem) -> sb.append(field).append(' ').append(problem).append("; "));
        return sb.substring(0, sb.length() - 2) + ".";
    }
}
