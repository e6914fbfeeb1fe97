package dev.agentry.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an error answer in the request's {@link ApiFamily} shape for filters and security handlers, which answer
 * before Spring MVC's advice can.
 */
@Component
public class ProblemResponses {

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    public void write(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            String error,
            String message,
            boolean bearer)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        ApiFamily.Answer answer = ApiFamily.of(pathWithinApplication(request)).answer(status, error, message, Map.of());
        response.setStatus(answer.status().value());
        response.setContentType(answer.contentType().toString());
        if (bearer) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getOutputStream().write(json.writeValueAsBytes(answer.body()));
    }

    static String pathWithinApplication(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }
}
