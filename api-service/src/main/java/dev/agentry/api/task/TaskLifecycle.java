package dev.agentry.api.task;

import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.quota.Quotas;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskFailed;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Cancelling a task and giving it a follow-up instruction. Both change state only through messages: a cancel
 * publishes {@code task.failed} (reason cancelled) for the projector and {@code task.cancel} for the workers; an
 * instruction publishes the next iteration's run to the worker that holds the workspace. A follow-up runs an agent
 * like a new task, so for a tenant with a running-tasks limit it waits {@code pending} for admission like one, and
 * its run is published only when the {@code AdmissionDispatcher} admits it ({@link #startAdmittedFollowUp}).
 */
@Service
public class TaskLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskLifecycle.class);
    private static final Set<String> ACTIVE = Set.of("pending", "cloning", "running", "creating_pr");
    private static final Set<String> NO_WORKSPACE = Set.of("echo");

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final MessageCodec codec;
    private final TraceContext trace;
    private final Quotas quotas;
    private final int maxPromptBytes;

    TaskLifecycle(
            JdbcClient jdbc,
            Outbox outbox,
            MessageCodec codec,
            TraceContext trace,
            Quotas quotas,
            dev.agentry.api.config.ApiProperties properties) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.codec = codec;
        this.trace = trace;
        this.quotas = quotas;
        this.maxPromptBytes = properties.maxPromptBytes();
    }

    private record Row(
            String status,
            int iteration,
            String runtime,
            @Nullable String sessionId,
            @Nullable String runSpec) {}

    public record Cancelled(UUID id, String status, String message) {}

    public record Instructed(UUID id, String status, int iteration) {}

    @Transactional
    public Cancelled cancel(TenantId tenant, UUID id) {
        Row task = lock(tenant, id);
        if (!ACTIVE.contains(task.status())) {
            throw new TaskConflictException("Task " + id + " is " + task.status() + " and can no longer be cancelled.");
        }
        jdbc.sql("update tasks set cancelled_at = coalesce(cancelled_at, now()) where id = ?")
                .param(id)
                .update();
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
        Row task = lock(tenant, id);
        if (ACTIVE.contains(task.status())) {
            throw new TaskConflictException(
                    "Task " + id + " is still " + task.status() + "; instruct it once it ends.");
        }
        if (task.runSpec() == null) {
            throw new TaskConflictException("Task " + id + " predates follow-up instructions.");
        }
        String worker = null;
        if (!NO_WORKSPACE.contains(task.runtime())) {
            worker = workspaceHolder(id)
                    .orElseThrow(() -> new TaskConflictException(
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
                task.sessionId());
        Timestamp now = Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS));
        jdbc.sql("""
                update tasks set iteration = ?, status = 'pending', current_prompt = ?, result = null, error = null,
                       failure_reason = null, finished_at = null, cancelled_at = null,
                       run_spec = cast(? as jsonb), updated_at = ? where id = ?""")
                .params(next, prompt, codec.mapper().writeValueAsString(run), now, id)
                .update();
        jdbc.sql("""
                insert into task_iterations (task_id, number, tenant_id, prompt, status, created_at)
                values (?, ?, ?, ?, 'pending', ?)""").params(id, next, tenant.value(), prompt, now).update();
        if (quotas.acceptFollowUp(tenant, id)) {
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
    public void startAdmittedFollowUp(TenantId tenant, UUID id, RunTask run) {
        if (NO_WORKSPACE.contains(run.runtime())) {
            send(tenant, id, run, null, Map.of());
            return;
        }
        Optional<String> worker = workspaceHolder(id);
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

    private Optional<String> workspaceHolder(UUID id) {
        return jdbc.sql("select worker_id from workspaces where task_id = ? and not deleting")
                .param(id)
                .query(String.class)
                .optional();
    }

    /** A run without a worker goes to the workers' queue (a runtime that keeps no workspace). */
    private void send(TenantId tenant, UUID id, RunTask run, @Nullable String worker, Map<String, String> headers) {
        if (worker == null) {
            outbox.append(Topics.TASK_COMMANDS, Envelope.of(id, tenant.value(), run), headers);
        } else {
            outbox.append(Topics.TASK_CONTROL, Envelope.of(id, tenant.value(), new RunIteration(worker, run)), headers);
        }
    }

    private Row lock(TenantId tenant, UUID id) {
        return jdbc.sql("""
                select status, iteration, runtime, session_id, run_spec::text as run_spec
                from tasks where tenant_id = ? and id = ? for update""")
                .params(tenant.value(), id)
                .query((rs, n) -> new Row(
                        rs.getString("status"),
                        rs.getInt("iteration"),
                        rs.getString("runtime"),
                        rs.getString("session_id"),
                        rs.getString("run_spec")))
                .optional()
                .orElseThrow(() -> new TaskNotFoundException(id));
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
