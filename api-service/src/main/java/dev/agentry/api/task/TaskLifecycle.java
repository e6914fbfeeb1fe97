package dev.agentry.api.task;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskFailed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cancelling a task and giving it a follow-up instruction. Both change state only through messages: a cancel
 * publishes {@code task.failed} (reason cancelled) for the projector and {@code task.cancel} for the workers; an
 * instruction publishes the next iteration's run to the worker that holds the workspace. A follow-up runs an agent
 * like a new task, so for a tenant with a running-tasks limit it waits {@code pending} for admission like one, and
 * its run is published only when the {@link AdmissionDispatcher} admits it ({@link #startAdmittedFollowUp}).
 */
@Service
class TaskLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);

    private final Tasks tasks;
    private final Workspaces workspaces;
    private final Outbox outbox;
    private final MessageCodec codec;
    private final TraceContext trace;
    private final Admission admission;
    private final int maxPromptBytes;

    TaskLifecycle(
            Tasks tasks,
            Workspaces workspaces,
            Outbox outbox,
            MessageCodec codec,
            TraceContext trace,
            Admission admission,
            ApiProperties properties) {
        this.tasks = tasks;
        this.workspaces = workspaces;
        this.outbox = outbox;
        this.codec = codec;
        this.trace = trace;
        this.admission = admission;
        this.maxPromptBytes = properties.maxPromptBytes();
    }

    public record Cancelled(UUID id, String status, String message) {}

    public record Instructed(UUID id, String status, int iteration) {}

    @Transactional
    public Cancelled cancel(TenantId tenant, UUID id) {
        Tasks.Locked task = tasks.lock(tenant, id);
        if (!task.status().active()) {
            throw new ConflictException(
                    "Task " + id + " is " + task.status().wire() + " and can no longer be cancelled.");
        }
        tasks.markCancelled(id);
        Map<String, String> headers = trace.headers();
        TaskFailed failed = new TaskFailed(
                task.iteration(), "Cancelled by request.", TaskFailed.FailureReason.CANCELLED, null, null);
        outbox.append(
                Topics.TASK_EVENTS, envelope(id, tenant, failed, "cancel:" + id + ":" + task.iteration()), headers);
        outbox.append(Topics.TASK_CONTROL, Envelope.of(id, tenant.value(), new CancelTask(task.iteration())), headers);
        log.info("Task {} of tenant {} cancelled in iteration {}.", id, tenant, task.iteration());
        return new Cancelled(id, "cancelling", "Cancellation requested; the task ends as failed (cancelled).");
    }

    @Transactional
    public Instructed instruct(TenantId tenant, UUID id, @Nullable String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new InvalidRequestException(Map.of("prompt", "is required"));
        }
        if (prompt.getBytes(StandardCharsets.UTF_8).length > maxPromptBytes) {
            throw new InvalidRequestException(Map.of("prompt", "must be at most " + maxPromptBytes + " bytes"));
        }
        Tasks.Locked task = tasks.lock(tenant, id);
        if (task.status().active()) {
            throw new ConflictException(
                    "Task " + id + " is still " + task.status().wire() + "; instruct it once it ends.");
        }
        if (task.runSpec() == null) {
            throw new ConflictException("Task " + id + " predates follow-up instructions.");
        }
        String worker = null;
        if (!Tasks.NO_WORKSPACE.contains(task.runtime())) {
            worker = workspaces
                    .holder(id)
                    .orElseThrow(() -> new ConflictException(
                            "Task " + id + " has no workspace any more (deleted or expired); submit a new task."));
        }
        int next = task.iteration() + 1;
        RunTask previous = codec.mapper().readValue(task.runSpec(), RunTask.class);
        RunTask run = new RunTask(
                next,
                previous.repoUrl(),
                prompt,
                previous.runtime(),
                previous.timeoutSeconds(),
                previous.targetBranch(),
                previous.model(),
                previous.maxTurns(),
                previous.maxBudgetUsd(),
                previous.mcpServers(),
                previous.accessToken(),
                previous.aiApiKey(),
                task.sessionId(),
                previous.systemPrompt(),
                previous.allowedTools());
        tasks.startIteration(
                tenant,
                id,
                next,
                prompt,
                codec.mapper().writeValueAsString(run),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (admission.acceptFollowUp(tenant, id)) {
            send(tenant, id, run, worker, trace.headers());
            log.info("Task {} of tenant {} got iteration {}.", id, tenant, next);
        } else {
            log.info("Task {} of tenant {} got iteration {}, which waits for admission.", id, tenant, next);
        }
        return new Instructed(id, "pending", next);
    }

    /**
     * Publishes the run of a follow-up iteration that waited for admission, within the admitting transaction: to
     * the worker that holds the task's workspace, as {@link #instruct} does for a tenant without a limit. If the
     * workspace went away while the iteration waited (its worker expired it), the iteration cannot run anywhere;
     * it fails at once as workspace lost instead of holding a running slot until the reaper notices.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    void startAdmittedFollowUp(TenantId tenant, UUID id, RunTask run) {
        if (Tasks.NO_WORKSPACE.contains(run.runtime())) {
            send(tenant, id, run, null, Map.of());
            return;
        }
        Optional<String> worker = workspaces.holder(id);
        if (worker.isPresent()) {
            send(tenant, id, run, worker.get(), Map.of());
            return;
        }
        TaskFailed failed = new TaskFailed(
                run.iteration(),
                "Workspace lost: the workspace of the task was removed while iteration " + run.iteration()
                        + " waited for admission; submit a new task.",
                TaskFailed.FailureReason.WORKSPACE_LOST,
                null,
                null);
        outbox.append(
                Topics.TASK_EVENTS,
                envelope(id, tenant, failed, "admission-workspace-lost:" + id + ":" + run.iteration()),
                Map.of());
        log.warn(
                "Task {} of tenant {} lost its workspace while iteration {} waited for admission.",
                id,
                tenant,
                run.iteration());
    }

    /** A run without a worker goes to the workers' queue (a runtime that keeps no workspace). */
    private void send(TenantId tenant, UUID id, RunTask run, @Nullable String worker, Map<String, String> headers) {
        if (worker == null) {
            outbox.append(Topics.TASK_COMMANDS, Envelope.of(id, tenant.value(), run), headers);
        } else {
            outbox.append(Topics.TASK_CONTROL, Envelope.of(id, tenant.value(), new RunIteration(worker, run)), headers);
        }
    }

    /** A deterministic id, so a retried request cannot put two cancellations in the log. */
    private static <T extends dev.agentry.events.Message> Envelope<T> envelope(
            UUID id, TenantId tenant, T payload, String name) {
        return new Envelope<>(
                UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)),
                payload.type(),
                id,
                tenant.value(),
                Instant.now(),
                Envelope.SCHEMA_VERSION,
                payload);
    }
}
