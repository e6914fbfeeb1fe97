package dev.agentry.api.webhook;

import java.util.Map;

/** A webhook request the client must fix; answered 400 naming the field. */
class WebhookRequestException extends RuntimeException {

    private final Map<String, String> fields;

    WebhookRequestException(String field, String problem) {
        super("Field " + field + " " + problem + ".");
        this.fields = Map.of(field, problem);
    }

    Map<String, String> fields() {
        return fields;
    }
}
