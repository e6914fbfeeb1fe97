package dev.agentry.api.projection;

import dev.agentry.events.Envelope;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.events.task.WorkspaceEvent;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns task events into the read model: an ordered per-task event log ({@code seq} 1, 2, 3 ...) and the task's
 * current state. Idempotent: an event id already in the log changes nothing. Monotonic: once an iteration is
 * terminal, later events of it (a late worker, a redelivery, the reaper racing a completion) change nothing,
 * and events of an older iteration are ignored.
 */
@Service
public class TaskProjection {

    private static final Logger log = LoggerFactory.getLogger(TaskProjection.class);
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "pr_created");

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TaskProjection(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A log entry as SSE serves it: {@code {type, event, data, ts}} plus its {@code seq}. */
    public record LoggedEvent(
            UUID taskId, String tenantId, long seq, String type, String event, JsonNode data, String ts) {}

    private static final class State {
        final String tenantId;
        String status;
        final int iteration;
        long lastSeq;

        State(String tenantId, String status, int iteration, long lastSeq) {
            this.tenantId = tenantId;
            this.status = status;
            this.iteration = iteration;
            this.lastSeq = lastSeq;
        }
    }

    /**
     * Applies a batch in one transaction and returns the log entries it appended, in order. Workspace reports in
     * the batch update the workspaces table; they are not part of the task's log.
     */
    @Transactional
    public List<LoggedEvent> apply(List<Envelope<?>> messages) {
        Map<UUID, State> states = new HashMap<>();
        List<LoggedEvent> appended = new java.util.ArrayList<>();
        for (Envelope<?> message : messages) {
            if (message.payload() instanceof WorkspaceEvent workspace) {
                workspace(message, workspace);
                continue;
            }
            if (!(message.payload() instanceof TaskEvent)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Envelope<TaskEvent> envelope = (Envelope<TaskEvent>) message;
            State state = states.computeIfAbsent(envelope.aggregateId(), this::load);
            if (state == null) {
                log.warn("Event {} is for unknown task {}; skipped.", envelope.type(), envelope.aggregateId());
                continue;
            }
            if (!state.tenantId.equals(envelope.tenantId())) {
                log.warn(
                        "Event {} claims tenant {} for task {} of another tenant; skipped.",
                        envelope.id(),
                        envelope.tenantId(),
                        envelope.aggregateId());
                continue;
            }
            TaskEvent event = envelope.payload();
            if (event.iteration() != state.iteration || TERMINAL.contains(state.status)) {
                continue;
            }
            if (event instanceof TaskHeartbeat) {
                jdbc.sql("update tasks set last_heartbeat_at = ? where id = ?")
                        .params(Timestamp.from(envelope.occurredAt()), envelope.aggregateId())
                        .update();
                continue;
            }
            LoggedEvent entry = append(envelope, state);
            if (entry != null) {
                applyState(envelope, state);
                appended.add(entry);
            }
        }
        return appended;
    }

    private void workspace(Envelope<?> envelope, WorkspaceEvent event) {
        switch (event) {
            case WorkspaceReported reported ->
                jdbc.sql("""
                            insert into workspaces (task_id, tenant_id, worker_id, size_bytes, created_at, last_used_at)
                            select id, tenant_id, ?, ?, ?, ? from tasks where id = ? and tenant_id = ?
                            on conflict (task_id) do update set worker_id = excluded.worker_id,
                                size_bytes = excluded.size_bytes, last_used_at = excluded.last_used_at,
                                updated_at = now()""")
                        .params(
                                reported.workerId(),
                                reported.sizeBytes(),
                                Timestamp.from(reported.createdAt()),
                                Timestamp.from(reported.lastUsedAt()),
                                envelope.aggregateId(),
                                envelope.tenantId())
                        .update();
            case WorkspaceRemoved removed ->
                jdbc.sql("delete from workspaces where task_id = ? and tenant_id = ? and worker_id = ?")
                        .params(envelope.aggregateId(), envelope.tenantId(), removed.workerId())
                        .update();
        }
    }

    private @Nullable State load(UUID taskId) {
        return jdbc.sql("select tenant_id, status, iteration, last_seq from tasks where id = ? for update")
                .param(taskId)
                .query((rs, n) -> new State(
                        rs.getString("tenant_id"),
                        rs.getString("status"),
                        rs.getInt("iteration"),
                        rs.getLong("last_seq")))
                .optional()
                .orElse(null);
    }

    private @Nullable LoggedEvent append(Envelope<TaskEvent> envelope, State state) {
        Entry entry = entry(envelope.payload());
        long seq = state.lastSeq + 1;
        Timestamp ts = Timestamp.from(envelope.occurredAt());
        int inserted = jdbc.sql("""
                insert into task_events (task_id, seq, tenant_id, event_id, iteration, type, event, data, ts)
                values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?) on conflict (event_id) do nothing""")
                .params(
                        envelope.aggregateId(),
                        seq,
                        state.tenantId,
                        envelope.id(),
                        envelope.payload().iteration(),
                        entry.type(),
                        entry.event(),
                        json.writeValueAsString(entry.data()),
                        ts)
                .update();
        if (inserted == 0) {
            return null;
        }
        state.lastSeq = seq;
        jdbc.sql("update tasks set last_seq = ?, updated_at = now() where id = ?")
                .params(seq, envelope.aggregateId())
                .update();
        return new LoggedEvent(
                envelope.aggregateId(),
                state.tenantId,
                seq,
                entry.type(),
                entry.event(),
                entry.data(),
                envelope.occurredAt().toString());
    }

    private void applyState(Envelope<TaskEvent> envelope, State state) {
        UUID id = envelope.aggregateId();
        Timestamp at = Timestamp.from(envelope.occurredAt());
        int iteration = envelope.payload().iteration();
        switch (envelope.payload()) {
            case TaskStarted started -> {
                state.status = started.status();
                jdbc.sql("""
                        update tasks set status = ?, worker_id = ?, attempt = ?, last_heartbeat_at = ?,
                               started_at = coalesce(started_at, ?) where id = ?""")
                        .params(started.status(), started.workerId(), started.attempt(), at, at, id)
                        .update();
                iteration(id, iteration, started.status(), at);
            }
            case TaskRunning running -> {
                state.status = "running";
                jdbc.sql("update tasks set status = 'running', worker_id = ?, last_heartbeat_at = ? where id = ?")
                        .params(running.workerId(), at, id)
                        .update();
                iteration(id, iteration, "running", at);
            }
            case TaskCompleted completed -> {
                state.status = "completed";
                String usage = usage(completed.usage());
                String changes = changes(completed.changes());
                jdbc.sql("""
                        update tasks set status = 'completed', result = ?, error = null, failure_reason = null,
                               usage = cast(? as jsonb), changes_summary = cast(? as jsonb), session_id = ?,
                               finished_at = ? where id = ?""")
                        .params(completed.result(), usage, changes, completed.sessionId(), at, id)
                        .update();
                finishIteration(id, iteration, "completed", completed.result(), null, usage, changes, at);
            }
            case TaskFailed failed -> {
                state.status = "failed";
                String usage = failed.usage() == null ? null : usage(failed.usage());
                String changes = failed.changes() == null ? null : changes(failed.changes());
                jdbc.sql("""
                        update tasks set status = 'failed', error = ?, failure_reason = ?,
                               usage = coalesce(cast(? as jsonb), usage),
                               changes_summary = coalesce(cast(? as jsonb), changes_summary),
                               finished_at = ? where id = ?""")
                        .params(failed.error(), failed.reason().name(), usage, changes, at, id)
                        .update();
                finishIteration(id, iteration, "failed", null, failed.error(), usage, changes, at);
            }
            case TaskPullRequestCreated created -> {
                state.status = "pr_created";
                jdbc.sql("""
                        update tasks set status = 'pr_created', branch = ?, pr_number = ?, pr_url = ?, pr_error = null,
                               pr_previous_status = null where id = ?""")
                        .params(created.branch(), created.prNumber(), created.prUrl(), id)
                        .update();
            }
            case TaskPullRequestFailed failed -> {
                // The task is as usable as before the request: back to the status it had, with the error kept.
                state.status = jdbc.sql("""
                        update tasks set status = coalesce(pr_previous_status, 'completed'), pr_error = ?,
                               branch = coalesce(?, branch), pr_previous_status = null where id = ?
                        returning status""")
                        .params(failed.error(), failed.branch(), id)
                        .query(String.class)
                        .single();
            }
            case TaskOutput ignored -> {
                // the log entry is all an output changes
            }
            case TaskHeartbeat ignored -> {
                // handled before the log
            }
        }
    }

    private void iteration(UUID id, int number, String status, Timestamp at) {
        jdbc.sql("""
                update task_iterations set status = ?, started_at = coalesce(started_at, ?)
                where task_id = ? and number = ?""").params(status, at, id, number).update();
    }

    private void finishIteration(
            UUID id,
            int number,
            String status,
            @Nullable String result,
            @Nullable String error,
            @Nullable String usage,
            @Nullable String changes,
            Timestamp at) {
        jdbc.sql("""
                update task_iterations set status = ?, result = ?, error = ?, usage = cast(? as jsonb),
                       changes = cast(? as jsonb), finished_at = ?, started_at = coalesce(started_at, ?)
                where task_id = ? and number = ?""")
                .params(status, result, error, usage, changes, at, at, id, number)
                .update();
    }

    private record Entry(String type, String event, JsonNode data) {}

    private Entry entry(TaskEvent event) {
        return switch (event) {
            case TaskStarted s ->
                new Entry(
                        "system",
                        "status_change",
                        json.createObjectNode()
                                .put("status", s.status())
                                .put("worker_id", s.workerId())
                                .put("attempt", s.attempt())
                                .put("iteration", s.iteration()));
            case TaskRunning r ->
                new Entry(
                        "system",
                        "status_change",
                        json.createObjectNode().put("status", "running").put("iteration", r.iteration()));
            case TaskOutput o -> new Entry(o.category(), o.name(), o.data());
            case TaskCompleted c -> {
                ObjectNode data = json.createObjectNode()
                        .put("status", "completed")
                        .put("iteration", c.iteration())
                        .put("result", c.result());
                data.set("usage", json.readTree(usage(c.usage())));
                data.set("changes_summary", json.readTree(changes(c.changes())));
                yield new Entry("result", "completed", data);
            }
            case TaskFailed f ->
                new Entry(
                        "result",
                        "failed",
                        json.createObjectNode()
                                .put("status", "failed")
                                .put("iteration", f.iteration())
                                .put("error", f.error())
                                .put("reason", f.reason().name().toLowerCase(java.util.Locale.ROOT)));
            case TaskHeartbeat h -> new Entry("system", "heartbeat", json.createObjectNode());
            case TaskPullRequestCreated p ->
                new Entry(
                        "result",
                        "pr_created",
                        json.createObjectNode()
                                .put("status", "pr_created")
                                .put("iteration", p.iteration())
                                .put("branch", p.branch())
                                .put("pr_number", p.prNumber())
                                .put("pr_url", p.prUrl())
                                .put("existing", p.existing()));
            case TaskPullRequestFailed p -> {
                ObjectNode data = json.createObjectNode()
                        .put("iteration", p.iteration())
                        .put("error", p.error())
                        .put("reason", p.reason().name().toLowerCase(java.util.Locale.ROOT));
                if (p.branch() != null) {
                    data.put("branch", p.branch());
                }
                yield new Entry("git", "pr_failed", data);
            }
        };
    }

    private String usage(Usage usage) {
        ObjectNode node = json.createObjectNode()
                .put("input_tokens", usage.inputTokens())
                .put("output_tokens", usage.outputTokens())
                .put("duration_seconds", usage.durationSeconds());
        if (usage.costUsd() != null) {
            node.put("cost_usd", usage.costUsd());
        }
        return json.writeValueAsString(node);
    }

    private String changes(ChangesSummary changes) {
        return json.writeValueAsString(json.createObjectNode()
                .put("files_changed", changes.filesChanged())
                .put("insertions", changes.insertions())
                .put("deletions", changes.deletions()));
    }
}
