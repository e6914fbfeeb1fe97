package dev.agentry.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rest of seed 004's surface, answered honestly: 501 with the seed's error shape, so a client written
 * against the seed learns at once that this deployment does not do it yet, instead of a misleading 404. Each
 * mapping leaves as its feature lands; the README's status table lists the same set.
 */
@RestController
@RequestMapping("/api/v1")
class NotBuiltYetController {

    @PostMapping("/tasks/{taskId}/create-pr")
    @ResponseStatus(HttpStatus.NOT_IMPLEMENTED)
    ProblemDetail taskActions() {
        return notBuilt();
    }

    private static ProblemDetail notBuilt() {
        return ProblemResponses.problem(
                HttpStatus.NOT_IMPLEMENTED,
                "not implemented",
                "This endpoint of the seed contract is not built yet; see the README's status table.",
                null);
    }
}
