package dev.agentry.api.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The API families the platform serves, each with the error body its seed documents, resolved from the request
 * path. Only this enum knows the shapes; the advice and the filters hand it a status, the short error, the
 * sentence and the offending fields. A new seed's paths go into its family's list here, nowhere else.
 */
public enum ApiFamily {

    /** Seeds 004 and 001 (and anything not listed below): RFC 9457 problem details carrying {@code error}. */
    PROBLEM_JSON(List.of()),

    /** Seed 003: a bare {@code {"error": "..."}}. */
    ERROR_OBJECT(List.of("/api/conversations", "/api/notifications", "/api/health")),

    /**
     * Seeds 002 and 000, FastAPI services: validation is 422 with {@code {"detail": [{"loc", "msg", "type"}]}},
     * every other error {@code {"detail": "..."}}.
     */
    FASTAPI(List.of(
            "/api/v1/execute",
            "/api/v1/sessions",
            "/api/v1/profiles",
            "/api/v1/conversation",
            "/api/v1/conversations",
            "/api/v1/builder",
            "/oauth"));

    private final List<String> prefixes;

    ApiFamily(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    /** @param path the request path within the application, e.g. {@code /api/v1/tasks/42} */
    public static ApiFamily of(String path) {
        for (ApiFamily family : values()) {
            if (family.prefixes.stream().anyMatch(prefix -> within(path, prefix))) {
                return family;
            }
        }
        return PROBLEM_JSON;
    }

    private static boolean within(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** An error answer: the status may differ from the one asked for (FastAPI's validation is 422, not 400). */
    public record Answer(HttpStatus status, MediaType contentType, Object body) {}

    public Answer answer(HttpStatus status, String error, String message, Map<String, String> fields) {
        return switch (this) {
            case PROBLEM_JSON ->
                new Answer(status, MediaType.APPLICATION_PROBLEM_JSON, problem(status, error, message, fields));
            case ERROR_OBJECT -> new Answer(status, MediaType.APPLICATION_JSON, Map.of("error", message));
            case FASTAPI -> fastApi(status, message, fields);
        };
    }

    /** Seed 004's problem: RFC 9457 members plus {@code error}, {@code message} and, when any, {@code fields}. */
    static ProblemDetail problem(HttpStatus status, String error, String message, Map<String, String> fields) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setTitle(status.getReasonPhrase());
        problem.setProperty("error", error);
        problem.setProperty("message", message);
        if (!fields.isEmpty()) {
            problem.setProperty("fields", new LinkedHashMap<>(fields));
        }
        return problem;
    }

    private static Answer fastApi(HttpStatus status, String message, Map<String, String> fields) {
        boolean validation =
                status == HttpStatus.BAD_REQUEST || status == HttpStatus.UNPROCESSABLE_CONTENT && !fields.isEmpty();
        if (!validation) {
            return new Answer(status, MediaType.APPLICATION_JSON, Map.of("detail", message));
        }
        List<Map<String, Object>> detail = new ArrayList<>();
        fields.forEach((field, problem) -> detail.add(item(List.of("body", field), field + " " + problem)));
        if (detail.isEmpty()) {
            detail.add(item(List.of("body"), message));
        }
        return new Answer(HttpStatus.UNPROCESSABLE_CONTENT, MediaType.APPLICATION_JSON, Map.of("detail", detail));
    }

    private static Map<String, Object> item(List<String> loc, String msg) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("loc", loc);
        item.put("msg", msg);
        item.put("type", "value_error");
        return item;
    }
}
