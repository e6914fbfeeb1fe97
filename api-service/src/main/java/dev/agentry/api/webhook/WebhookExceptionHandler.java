package dev.agentry.api.webhook;

import dev.agentry.api.web.ProblemResponses;
import java.util.HashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** This package's failures in the API's one problem shape; ordered before the API's catch-all advice. */
@RestControllerAdvice(assignableTypes = WebhookController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class WebhookExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(WebhookExceptionHandler.class);

    @ExceptionHandler(WebhookNotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    ProblemDetail notFound(WebhookNotFoundException e) {
        log.warn("Answering 404: {}", e.getMessage());
        return ProblemResponses.problem(HttpStatus.NOT_FOUND, "not found", e.getMessage(), null);
    }

    @ExceptionHandler(WebhookRequestException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ProblemDetail invalid(WebhookRequestException e) {
        log.warn("Answering 400: {}", e.getMessage());
        return ProblemResponses.problem(
                HttpStatus.BAD_REQUEST, "invalid request", e.getMessage(), new HashMap<>(e.fields()));
    }
}
