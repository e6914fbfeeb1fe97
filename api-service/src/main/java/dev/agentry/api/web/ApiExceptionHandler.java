package dev.agentry.api.web;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.DomainException;
import dev.agentry.api.error.ForbiddenException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.error.QuotaExceededException;
import dev.agentry.api.error.UnauthorizedException;
import dev.agentry.api.error.UnavailableException;
import dev.agentry.api.error.UnprocessableException;
import dev.agentry.api.error.UpstreamFailedException;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;

/**
 * The API's one error mapping: every domain exception and every framework failure becomes a status here, and the
 * body takes the shape of the request's {@link ApiFamily}. 4xx are the client's to fix and log at WARN without a
 * stack; 5xx log at ERROR with the exception, and a 500 says nothing of internals.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** SQLSTATE 22021 (character_not_in_repertoire) and 22P05 (untranslatable_character). */
    private static final Set<String> UNSTORABLE_TEXT = Set.of("22021", "22P05");

    @ExceptionHandler(DomainException.class)
    ResponseEntity<Object> domain(DomainException e, HttpServletRequest request) {
        HttpStatus status = switch (e) {
            case NotFoundException n -> HttpStatus.NOT_FOUND;
            case ForbiddenException f -> HttpStatus.FORBIDDEN;
            case ConflictException c -> HttpStatus.CONFLICT;
            case InvalidRequestException i -> HttpStatus.BAD_REQUEST;
            case UnprocessableException u -> HttpStatus.UNPROCESSABLE_CONTENT;
            case UnavailableException u -> HttpStatus.SERVICE_UNAVAILABLE;
            case QuotaExceededException q -> HttpStatus.TOO_MANY_REQUESTS;
            case UnauthorizedException u -> HttpStatus.UNAUTHORIZED;
            case UpstreamFailedException u -> HttpStatus.BAD_GATEWAY;
        };
        HttpHeaders headers = new HttpHeaders();
        switch (e) {
            case QuotaExceededException q -> headers.set(HttpHeaders.RETRY_AFTER, seconds(q.retryAfter()));
            case UnavailableException u -> headers.set(HttpHeaders.RETRY_AFTER, seconds(u.retryAfter()));
            case UnauthorizedException u -> headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            default -> {}
        }
        return answer(request, status, e.error(), e.getMessage(), e.fields(), headers, e);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> forbidden(AccessDeniedException e, HttpServletRequest request) {
        return answer(request, HttpStatus.FORBIDDEN, "forbidden", "This token's role may not do that.");
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthorized(AuthenticationException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return answer(
                request,
                HttpStatus.UNAUTHORIZED,
                "unauthorized",
                "A valid bearer token is required.",
                Map.of(),
                headers,
                e);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof BodySizeLimitFilter.BodyTooLargeException tooLarge) {
            return answer(request, HttpStatus.CONTENT_TOO_LARGE, "request body too large", tooLarge.getMessage());
        }
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return invalid(
                    request,
                    "Field " + field + " has the wrong type or format.",
                    field,
                    "has the wrong type or format");
        }
        if (cause instanceof InputCoercionException coercion
                && coercion.processor() instanceof JsonParser parser
                && parser.streamReadContext() != null) {
            String field = parser.streamReadContext()
                    .pathAsPointer()
                    .toString()
                    .substring(1)
                    .replace('/', '.');
            return invalid(request, "Field " + field + " is out of range.", field, "is out of range");
        }
        if (cause instanceof JacksonException) {
            return answer(request, HttpStatus.BAD_REQUEST, "malformed JSON", "The request body is not valid JSON.");
        }
        return answer(request, HttpStatus.BAD_REQUEST, "invalid request", "The request body is missing or unreadable.");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        if (e.getRequiredType() == UUID.class) {
            return invalid(request, "Invalid " + e.getName() + ": must be a UUID", e.getName(), "must be a UUID");
        }
        return invalid(request, "Parameter " + e.getName() + " is not valid.", e.getName(), "is not valid");
    }

    /** A blank path segment converts to no value: the client's id is missing, unless no route could bind it. */
    @ExceptionHandler(MissingPathVariableException.class)
    ResponseEntity<Object> missingPathValue(MissingPathVariableException e, HttpServletRequest request) {
        if (!e.isMissingAfterConversion()) {
            return unexpected(e, request);
        }
        String name = e.getVariableName();
        String problem = e.getParameter().getParameterType() == UUID.class ? "must be a UUID" : "is required";
        return invalid(request, "Invalid " + name + ": " + problem, name, problem);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Object> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return invalid(
                request, "Parameter " + e.getParameterName() + " is required.", e.getParameterName(), "is required");
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Object> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return answer(
                request, HttpStatus.BAD_REQUEST, "invalid request", "Header " + e.getHeaderName() + " is required.");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> unsupportedMediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(
                request,
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported media type",
                "Send the body as application/json.");
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_ACCEPTABLE, "not acceptable", "This endpoint answers application/json.");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> methodNotAllowed(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(
                request,
                HttpStatus.METHOD_NOT_ALLOWED,
                "method not allowed",
                "Method " + e.getMethod() + " is not supported here.");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Object> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return answer(request, HttpStatus.NOT_FOUND, "not found", "No endpoint at " + e.getResourcePath() + ".");
    }

    /**
     * PostgreSQL stores no NUL character in text, and refuses it in a parameter before anything is written (the
     * statement fails, its transaction rolls back): that is the client's text to fix, not the server's failure.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<Object> unstorable(DataIntegrityViolationException e, HttpServletRequest request) {
        if (e.getMostSpecificCause() instanceof SQLException sql && UNSTORABLE_TEXT.contains(sql.getSQLState())) {
            return answer(
                    request,
                    HttpStatus.BAD_REQUEST,
                    "invalid request",
                    "Text in the request contains a character that cannot be stored (NUL, U+0000, or an invalid"
                            + " byte sequence); remove it.");
        }
        return unexpected(e, request);
    }

    /** The client left a stream it was reading: nobody is there to answer, and nothing failed on this side. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void clientGone(AsyncRequestNotUsableException e, HttpServletRequest request) {
        log.debug("The client of {} {} went away: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
    }

    /** A body the client stopped reading half-way: the converter wraps the broken pipe. */
    @ExceptionHandler(HttpMessageNotWritableException.class)
    @Nullable
    ResponseEntity<Object> unwritable(HttpMessageNotWritableException e, HttpServletRequest request) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof AsyncRequestNotUsableException gone) {
                clientGone(gone, request);
                return null;
            }
        }
        return unexpected(e, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        return answer(
                request,
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error",
                "The server failed; the failure is logged.",
                Map.of(),
                new HttpHeaders(),
                e);
    }

    private static ResponseEntity<Object> invalid(
            HttpServletRequest request, String message, String field, String problem) {
        return answer(
                request,
                HttpStatus.BAD_REQUEST,
                "invalid request",
                message,
                Map.of(field, problem),
                new HttpHeaders(),
                null);
    }

    private static ResponseEntity<Object> answer(
            HttpServletRequest request, HttpStatus status, String error, String message) {
        return answer(request, status, error, message, Map.of(), new HttpHeaders(), null);
    }

    private static ResponseEntity<Object> answer(
            HttpServletRequest request,
            HttpStatus status,
            String error,
            String message,
            Map<String, String> fields,
            HttpHeaders headers,
            @Nullable Exception cause) {
        if (status.is5xxServerError()) {
            log.error(
                    "Answering {} to {} {}: {}",
                    status.value(),
                    request.getMethod(),
                    request.getRequestURI(),
                    message,
                    cause);
        } else {
            log.warn(
                    "Answering {} to {} {}: {}", status.value(), request.getMethod(), request.getRequestURI(), message);
        }
        ApiFamily.Answer answer =
                ApiFamily.of(ProblemResponses.pathWithinApplication(request)).answer(status, error, message, fields);
        return ResponseEntity.status(answer.status())
                .headers(headers)
                .contentType(answer.contentType())
                .body(answer.body());
    }

    /** Whole seconds, at least one: what the header carries. */
    static String seconds(Duration retryAfter) {
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, seconds));
    }
}
