package dev.agentry.api.owned;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Seed 003's error body, {@code {"error": "..."}}, for the conversation and notification endpoints only; the rest
 * of the API keeps its problem details. Ordered before the API's catch-all advice. The lead folds this into the
 * one advice that chooses the body shape per API family.
 */
@RestControllerAdvice(basePackages = {"dev.agentry.api.conversation", "dev.agentry.api.notification"})
@Order(Ordered.HIGHEST_PRECEDENCE)
class SeedErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(SeedErrorAdvice.class);

    @ExceptionHandler(ResourceNotFoundException.class)
    ResponseEntity<Map<String, String>> notFound(ResourceNotFoundException e) {
        return client(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ResourceForbiddenException.class)
    ResponseEntity<Map<String, String>> forbidden(ResourceForbiddenException e) {
        return client(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<Map<String, String>> invalid(InvalidInputException e) {
        return client(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(ResourceConflictException.class)
    ResponseEntity<Map<String, String>> conflict(ResourceConflictException e) {
        return client(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(WorkFailedException.class)
    ResponseEntity<Map<String, String>> workFailed(WorkFailedException e) {
        log.warn("Answering 502: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, String>> typeMismatch(MethodArgumentTypeMismatchException e) {
        String what = "id".equals(e.getName()) ? "Invalid id: must be a UUID" : "Invalid parameter " + e.getName();
        return client(HttpStatus.BAD_REQUEST, what);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, String>> missingParameter(MissingServletRequestParameterException e) {
        return client(HttpStatus.BAD_REQUEST, "Parameter " + e.getParameterName() + " is required");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        return client(HttpStatus.BAD_REQUEST, "The request body is not valid JSON of the expected shape");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return client(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, String>> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return client(HttpStatus.METHOD_NOT_ALLOWED, "Method " + e.getMethod() + " is not supported here");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e) {
        log.error("A conversation or notification request failed unexpectedly.", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(Map.of("error", "Internal Server Error"));
    }

    private static ResponseEntity<Map<String, String>> client(HttpStatus status, String message) {
        log.warn("Answering {}: {}", status.value(), message);
        return ResponseEntity.status(status).body(Map.of("error", message));
    }
}
