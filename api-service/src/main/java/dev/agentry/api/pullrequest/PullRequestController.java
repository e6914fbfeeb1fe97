package dev.agentry.api.pullrequest;

import dev.agentry.api.tenant.TenantId;
import dev.agentry.api.web.ProblemResponses;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/tasks/{id}/create-pr}: 200 with the pull request, or 202 with the task still
 * {@code creating_pr} when the worker takes longer than {@code agentry.api.pull-requests.wait}.
 */
@RestController
@RequestMapping(path = "/api/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class PullRequestController {

    private static final Logger log = LoggerFactory.getLogger(PullRequestController.class);

    private final PullRequestService service;

    PullRequestController(PullRequestService service) {
        this.service = service;
    }

    /** The body of seed 004's CreatePRRequest; every member optional. */
    record CreatePullRequestBody(
            @Nullable String title,
            @Nullable String description,
            @Nullable String targetBranch) {}

    record CreatedResponse(String prUrl, int prNumber, String branch) {}

    @PostMapping("/{taskId}/create-pr")
    ResponseEntity<?> create(
            TenantId tenant,
            @PathVariable UUID taskId,
            @RequestBody(required = false) @Nullable CreatePullRequestBody body) {
        var request = body == null
                ? new PullRequestService.Request(null, null, null)
                : new PullRequestService.Request(body.title(), body.description(), body.targetBranch());
        return switch (service.create(tenant, taskId, request)) {
            case PullRequestService.Created created ->
                ResponseEntity.ok(new CreatedResponse(created.prUrl(), created.prNumber(), created.branch()));
            case PullRequestService.Pending pending -> ResponseEntity.accepted().body(pending);
        };
    }

    @ExceptionHandler(PullRequestProblem.class)
    ResponseEntity<ProblemDetail> problem(PullRequestProblem e) {
        log.warn("create-pr answered {}: {}", e.status().value(), e.getMessage());
        ResponseEntity.BodyBuilder response =
                ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            response.header("Retry-After", "60");
        }
        return response.body(ProblemResponses.problem(e.status(), e.error(), e.getMessage(), e.fields()));
    }
}
