package dev.agentry.testkit.github;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** One answer of the fake GitHub, and the error bodies in GitHub's documented shapes. */
record Answer(int status, Map<String, String> headers, String body) {

    static final String DOCS = "https://docs.github.com/rest/pulls/pulls";
    private static final JsonMapper JSON = JsonMapper.shared();

    /** {@code status} with GitHub's error body {@code {"message": ..., "documentation_url": ...}}. */
    static Answer error(int status, String message) {
        return new Answer(status, Map.of(), message(message));
    }

    /** GitHub's error body {@code {"message": ..., "documentation_url": ...}}. */
    static String message(String message) {
        return JSON.writeValueAsString(
                JSON.createObjectNode().put("message", message).put("documentation_url", DOCS));
    }

    /** 422 {@code Validation Failed} for a pull request, with one error of {@code code}. */
    static Answer validationFailed(String code, @Nullable String field, @Nullable String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("message", "Validation Failed");
        ObjectNode error = body.putArray("errors")
                .addObject()
                .put("resource", "PullRequest")
                .put("code", code);
        if (field != null) {
            error.put("field", field);
        }
        if (text != null) {
            error.put("message", text);
        }
        body.put("documentation_url", DOCS + "#create-a-pull-request");
        body.put("status", "422");
        return new Answer(422, Map.of(), JSON.writeValueAsString(body));
    }
}
