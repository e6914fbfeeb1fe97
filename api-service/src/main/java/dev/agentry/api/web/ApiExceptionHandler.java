package dev.agentry.api.web;

import dev.agentry.api.task.IdempotencyConflictException;
import dev.agentry.api.task.InvalidRequestException;
import dev.agentry.api.task.TaskConflictException;
import dev.agentry.api.task.TaskNotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;

/**
 * Maps every failure to a problem response. 4xx are the client's to fix and log at WARN without a stack;
 * anything unexpected is a 500 logged at ERROR with the exception, and says nothing of internals.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        return client(HttpStatus.BAD_REQUEST, "invalid request", e.getMessage(), e.fields());
    }

    @ExceptionHandler(TaskNotFoundException.class)
    ProblemDetail notFound(TaskNotFoundException e) {
        return client(HttpStatus.NOT_FOUND, "task not found", e.getMessage(), null);
    }

    @ExceptionHandler(TaskConflictException.class)
    ProblemDetail conflict(TaskConflictException e) {
        return client(HttpStatus.CONFLICT, "conflict", e.getMessage(), null);
    }

    @ExceptionHandler(IdempotencyConflictException.class)
    ProblemDetail idempotencyConflict(IdempotencyConflictException e) {
        return client(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "idempotency key reused",
                e.getMessage(),
                Map.of("Idempotency-Key", "was used with a different request body"));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return client(HttpStatus.NOT_FOUND, e.error(), e.getMessage(), null);
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return client(HttpStatus.CONFLICT, "conflict", e.getMessage(), null);
    }

    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .body(client(HttpStatus.TOO_MANY_REQUESTS, e.error(), e.getMessage(), null));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail forbidden(AccessDeniedException e) {
        return client(HttpStatus.FORBIDDEN, "forbidden", "This token's role may not do that.", null);
    }

    @ExceptionHandler(UnauthorizedException.class)
    ResponseEntity<ProblemDetail> unauthorized(UnauthorizedException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(client(HttpStatus.UNAUTHORIZED, e.error(), e.getMessage(), null));
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthorized(AuthenticationException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(client(HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required.", null));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof BodySizeLimitFilter.BodyTooLargeException tooLarge) {
            return client(HttpStatus.CONTENT_TOO_LARGE, "request body too large", tooLarge.getMessage(), null);
        }
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = databind.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return client(
                    HttpStatus.BAD_REQUEST,
                    "invalid request",
                    "Field " + field + " has the wrong type or format.",
                    Map.of(field, "has the wrong type or format"));
        }
        if (cause instanceof InputCoercionException coercion
                && coercion.processor() instanceof JsonParser parser
                && parser.streamReadContext() != null) {
            String field = parser.streamReadContext()
                    .pathAsPointer()
                    .toString()
                    .substring(1)
                    .replace('/', '.');
            return client(
                    HttpStatus.BAD_REQUEST,
                    "invalid request",
                    "Field " + field + " is out of range.",
                    Map.of(field, "is out of range"));
        }
        if (cause instanceof JacksonException) {
            return client(HttpStatus.BAD_REQUEST, "malformed JSON", "The request body is not valid JSON.", null);
        }
        return client(HttpStatus.BAD_REQUEST, "invalid request", "The request body is missing or unreadable.", null);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return client(
                HttpStatus.BAD_REQUEST,
                "invalid request",
                "Parameter " + e.getName() + " is not valid.",
                Map.of(e.getName(), "is not valid"));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ProblemDetail missingParameter(MissingServletRequestParameterException e) {
        return client(
                HttpStatus.BAD_REQUEST,
                "invalid request",
                "Parameter " + e.getParameterName() + " is required.",
                Map.of(e.getParameterName(), "is required"));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ProblemDetail missingHeader(MissingRequestHeaderException e) {
        return client(HttpStatus.BAD_REQUEST, "invalid request", "Header " + e.getHeaderName() + " is required.", null);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ProblemDetail unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return client(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "unsupported media type",
                "Send the body as application/json.",
                null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ProblemDetail notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return client(HttpStatus.NOT_ACCEPTABLE, "not acceptable", "This endpoint answers application/json.", null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ProblemDetail methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return client(
                HttpStatus.METHOD_NOT_ALLOWED,
                "method not allowed",
                "Method " + e.getMethod() + " is not supported here.",
                null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ProblemDetail noResource(NoResourceFoundException e) {
        return client(HttpStatus.NOT_FOUND, "not found", "No endpoint at " + e.getResourcePath() + ".", null);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Request failed unexpectedly.", e);
        return ProblemResponses.problem(
                HttpStatus.INTERNAL_SERVER_ERROR, "internal error", "The server failed; the failure is logged.", null);
    }

    private static ProblemDetail client(
            HttpStatus status, String error, String message, @Nullable Map<String, String> fields) {
        log.warn("Answering {}: {}", status.value(), message);
        return ProblemResponses.problem(status, error, message, fields == null ? null : new LinkedHashMap<>(fields));
    }
}
