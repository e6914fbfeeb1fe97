package dev.agentry.api.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the one error shape of the API: RFC 9457 problem details that also carry the seed contract's
 * {@code error}, {@code message} and {@code fields} members, so clients of either kind read it.
 */
@Component
public class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public static ProblemDetail problem(
            HttpStatus status, String error, String message, @Nullable Map<String, String> fields) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("error", error);
        problem.setProperty("message", message);
        if (fields != null && !fields.isEmpty()) {
            problem.setProperty("fields", fields);
        }
        return problem;
    }

    /** For filters and security handlers, which answer before Spring MVC's advice can. */
    public void write(HttpServletResponse response, HttpStatus status, String error, String message, boolean bearer)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (bearer) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getOutputStream().write(json.writeValueAsBytes(problem(status, error, message, null)));
    }
}
