package dev.agentry.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API answered a request with an HTTP error; {@code body} is what it said, as it said it. */
final class ApiException extends RuntimeException {

    private final int status;
    private final String body;

    ApiException(String request, int status, String body) {
        super(request + " answered HTTP " + status + reason(body));
        this.status = status;
        this.body = body;
    }

    int status() {
        return status;
    }

    String body() {
        return body;
    }

    /**
     * The API's own words, whichever family answered: seed 004's problem+json and seed 003 carry {@code error}, seed
     * 002's FastAPI style carries {@code detail} (a string, or a list of {@code {loc, msg}} for validation).
     */
    private static String reason(String body) {
        try {
            JsonNode json = JsonMapper.shared().readTree(body);
            if (json == null || !json.isObject()) {
                return "";
            }
            // problem+json's detail says more than its short error; FastAPI's detail is all there is.
            JsonNode detail = json.path("detail");
            if (detail.isString()) {
                return ": " + detail.asString();
            }
            if (json.path("error").isString()) {
                return ": " + json.get("error").asString();
            }
            if (detail.isArray() && !detail.isEmpty()) {
                JsonNode first = detail.get(0);
                return ": " + first.path("loc").toString() + " "
                        + first.path("msg").asString("");
            }
            if (json.path("title").isString()) {
                return ": " + json.get("title").asString();
            }
            return "";
        } catch (JacksonException e) {
            return "";
        }
    }
}
