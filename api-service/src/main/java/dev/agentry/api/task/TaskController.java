package dev.agentry.api.task;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.tenant.TenantId;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Seed 004's tasks API: submit, read one, list. */
@RestController
@RequestMapping(path = "/api/v1/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
class TaskController {

    private final TaskService service;
    private final TaskLifecycle lifecycle;

    TaskController(TaskService service, TaskLifecycle lifecycle) {
        this.service = service;
        this.lifecycle = lifecycle;
    }

    /** Seed 004's answer to a create; beyond the seed, the task's own webhook events as stored, when it chose. */
    record CreatedResponse(
            UUID id,
            String status,
            Instant createdAt,
            @Nullable List<String> webhookEvents) {}

    record ListResponse(List<TaskView> tasks, @Nullable String nextCursor) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CreatedResponse> create(
            TenantId tenant,
            @RequestBody(required = false) @Nullable CreateTaskRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
        TaskService.Created created = service.create(tenant, request, idempotencyKey);
        TaskView task = created.task();
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/tasks/" + task.id()))
                .header("Idempotent-Replayed", Boolean.toString(created.replayed()))
                .body(new CreatedResponse(task.id(), task.status(), task.createdAt(), task.webhookEvents()));
    }

    @GetMapping("/{taskId}")
    TaskView get(TenantId tenant, @PathVariable UUID taskId, @RequestParam(required = false) @Nullable String include) {
        if (include != null && !include.equals("iterations")) {
            throw new InvalidRequestException(java.util.Map.of("include", "must be iterations"));
        }
        return service.get(tenant, taskId, "iterations".equals(include));
    }

    record InstructRequest(@Nullable String prompt) {}

    @PostMapping("/{taskId}/cancel")
    TaskLifecycle.Cancelled cancel(TenantId tenant, @PathVariable UUID taskId) {
        return lifecycle.cancel(tenant, taskId);
    }

    @PostMapping(path = "/{taskId}/instruct", consumes = MediaType.APPLICATION_JSON_VALUE)
    TaskLifecycle.Instructed instruct(
            TenantId tenant,
            @PathVariable UUID taskId,
            @RequestBody(required = false) @Nullable InstructRequest request) {
        return lifecycle.instruct(tenant, taskId, request == null ? null : request.prompt());
    }

    @GetMapping
    ListResponse list(
            TenantId tenant,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "20") int limit) {
        Tasks.Page page = service.list(tenant, status, cursor, limit);
        return new ListResponse(page.tasks(), page.nextCursor());
    }
}
