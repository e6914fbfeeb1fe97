package dev.agentry.api.pullrequest;

import dev.agentry.api.tenant.TenantId;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * {@code POST /api/v1/tasks/{id}/create-pr}: 200 with the pull request, or 202 with the task still
 * {@code creating_pr} when the worker takes longer than {@code agentry.api.pull-requests.wait-timeout}. The
 * request is answered asynchronously: no servlet thread waits for the worker.
 */
@RestController
@RequestMapping(path = "/api/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class PullRequestController {

    /** Beyond the wait: only if the answer never came (it always does, at the wait timeout at the latest). */
    private static final long SAFETY_MARGIN_MILLIS = 30_000;

    private final PullRequestService service;
    private final PullRequestProperties properties;

    PullRequestController(PullRequestService service, PullRequestProperties properties) {
        this.service = service;
        this.properties = properties;
    }

    /** The body of seed 004's CreatePRRequest; every member optional. */
    record CreatePullRequestBody(
            @Nullable String title,
            @Nullable String description,
            @Nullable String targetBranch) {}

    record CreatedResponse(String prUrl, int prNumber, String branch) {}

    @PostMapping("/{taskId}/create-pr")
    DeferredResult<ResponseEntity<?>> create(
            TenantId tenant,
            @PathVariable UUID taskId,
            @RequestBody(required = false) @Nullable CreatePullRequestBody body) {
        var request = body == null
                ? new PullRequestService.Request(null, null, null)
                : new PullRequestService.Request(body.title(), body.description(), body.targetBranch());
        DeferredResult<ResponseEntity<?>> result =
                new DeferredResult<>(properties.waitTimeout().toMillis() + SAFETY_MARGIN_MILLIS);
        service.create(tenant, taskId, request).whenComplete((outcome, failure) -> {
            if (failure != null) {
                result.setErrorResult(
                        failure instanceof CompletionException wrapped && wrapped.getCause() != null
                                ? wrapped.getCause()
                                : failure);
                return;
            }
            result.setResult(
                    switch (outcome) {
                        case PullRequestService.Created created ->
                            ResponseEntity.ok(
                                    new CreatedResponse(created.prUrl(), created.prNumber(), created.branch()));
                        case PullRequestService.Pending pending ->
                            ResponseEntity.accepted().body(pending);
                    });
        });
        return result;
    }
}
