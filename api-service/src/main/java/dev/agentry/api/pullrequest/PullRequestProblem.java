package dev.agentry.api.pullrequest;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** create-pr cannot go ahead, or the worker said why it failed; carries the answer's status and seed error. */
final class PullRequestProblem extends RuntimeException {

    private final HttpStatus status;
    private final String error;
    private final @Nullable Map<String, String> fields;

    PullRequestProblem(HttpStatus status, String error, String message, @Nullable Map<String, String> fields) {
        super(message);
        this.status = status;
        this.error = error;
        this.fields = fields;
    }

    HttpStatus status() {
        return status;
    }

    String error() {
        return error;
    }

    @Nullable
    Map<String, String> fields() {
        return fields;
    }
}
