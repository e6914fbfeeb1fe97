package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskStarted;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task's event log ({@code task_events}) and the state the projector derives from it on {@code tasks} and
 * {@code task_iterations}: only the projector writes through here, in its batch transaction.
 */
@Repository
class TaskEventLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    TaskEventLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** What the projector needs of a task to apply an event to it. */
    record Head(String tenantId, TaskStatus status, int iteration, long lastSeq) {}

    Optional<Head> lock(UUID taskId) {
        return jdbc.sql("select tenant_id, status, iteration, last_seq from tasks where id = ? for update")
                .param(taskId)
                .query((rs, n) -> new Head(
                        rs.getString("tenant_id"),
                        TaskStatus.of(rs.getString("status")),
                        rs.getInt("iteration"),
                        rs.getLong("last_seq")))
                .optional();
    }

    /** Appends the entry at {@code seq} unless the event is logged already; answers whether it was appended. */
    boolean append(
            UUID taskId, long seq, String tenantId, UUID eventId, int iteration, LogEntries.Entry entry, Timestamp ts) {
        int inserted = jdbc.sql("""
                insert into task_events (task_id, seq, tenant_id, event_id, iteration, type, event, data, ts)
                values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?) on conflict (event_id) do nothing""")
                .params(
                        taskId,
                        seq,
                        tenantId,
                        eventId,
                        iteration,
                        entry.type(),
                        entry.event(),
                        json.writeValueAsString(entry.data()),
                        ts)
                .update();
        if (inserted == 0) {
            return false;
        }
        jdbc.sql("update tasks set last_seq = ?, updated_at = now() where id = ?")
                .params(seq, taskId)
                .update();
        return true;
    }

    void heartbeat(UUID id, Timestamp at) {
        jdbc.sql("update tasks set last_heartbeat_at = ? where id = ?")
                .params(at, id)
                .update();
    }

    void started(UUID id, TaskStarted started, Timestamp at) {
        jdbc.sql("""
                update tasks set status = ?, worker_id = ?, attempt = ?, last_heartbeat_at = ?,
                       started_at = coalesce(started_at, ?) where id = ?""")
                .params(started.status(), started.workerId(), started.attempt(), at, at, id)
                .update();
        iteration(id, started.iteration(), started.status(), at);
    }

    void running(UUID id, int iteration, String workerId, Timestamp at) {
        jdbc.sql("update tasks set status = 'running', worker_id = ?, last_heartbeat_at = ? where id = ?")
                .params(workerId, at, id)
                .update();
        iteration(id, iteration, "running", at);
    }

    void completed(UUID id, TaskCompleted completed, String usage, String changes, Timestamp at) {
        jdbc.sql("""
                update tasks set status = 'completed', result = ?, error = null, failure_reason = null,
                       usage = cast(? as jsonb), changes_summary = cast(? as jsonb), session_id = ?,
                       finished_at = ? where id = ?""")
                .params(completed.result(), usage, changes, completed.sessionId(), at, id)
                .update();
        finishIteration(id, completed.iteration(), "completed", completed.result(), null, usage, changes, at);
    }

    void failed(UUID id, TaskFailed failed, @Nullable String usage, @Nullable String changes, Timestamp at) {
        jdbc.sql("""
                update tasks set status = 'failed', error = ?, failure_reason = ?,
                       usage = coalesce(cast(? as jsonb), usage),
                       changes_summary = coalesce(cast(? as jsonb), changes_summary),
                       finished_at = ? where id = ?""")
                .params(failed.error(), failed.reason().name(), usage, changes, at, id)
                .update();
        finishIteration(id, failed.iteration(), "failed", null, failed.error(), usage, changes, at);
    }

    void pullRequestCreated(UUID id, TaskPullRequestCreated created) {
        jdbc.sql("""
                update tasks set status = 'pr_created', branch = ?, pr_number = ?, pr_url = ?, pr_error = null,
                       pr_previous_status = null where id = ?""")
                .params(created.branch(), created.prNumber(), created.prUrl(), id)
                .update();
    }

    /** The task is as usable as before the request: back to the status it had, with the error kept. */
    TaskStatus pullRequestFailed(UUID id, TaskPullRequestFailed failed) {
        return TaskStatus.of(jdbc.sql("""
                update tasks set status = coalesce(pr_previous_status, 'completed'), pr_error = ?,
                       branch = coalesce(?, branch), pr_previous_status = null where id = ?
                returning status""")
                .params(failed.error(), failed.branch(), id)
                .query(String.class)
                .single());
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

    List<LoggedEvent> history(TenantId tenant, UUID taskId, long after) {
        return jdbc.sql("""
                select seq, type, event, data::text as data, ts from task_events
                where tenant_id = ? and task_id = ? and seq > ? order by seq""")
                .params(tenant.value(), taskId, after)
                .query((rs, n) -> new LoggedEvent(
                        taskId,
                        tenant.value(),
                        rs.getLong("seq"),
                        rs.getString("type"),
                        rs.getString("event"),
                        json.readTree(rs.getString("data")),
                        rs.getTimestamp("ts").toInstant().toString()))
                .list();
    }

    /** The newest {@code pr_failed} entry after {@code since}: its reason (lower case) and error. */
    Optional<TaskPullRequests.Failure> lastPullRequestFailure(UUID taskId, long since) {
        return jdbc.sql("""
                select data->>'reason' as reason, data->>'error' as error from task_events
                where task_id = ? and seq > ? and event = 'pr_failed' order by seq desc limit 1""")
                .params(taskId, since)
                .query((rs, n) -> new TaskPullRequests.Failure(
                        String.valueOf(rs.getString("reason")), String.valueOf(rs.getString("error"))))
                .optional();
    }
}
