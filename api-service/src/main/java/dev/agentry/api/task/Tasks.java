package dev.agentry.api.task;

import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.support.PageCursor;
import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tasks table and its iterations as requests write and read them, always scoped by tenant: creation, reads,
 * the follow-up and cancel of {@link TaskLifecycle}, the pull-request request, admission and the usage counts.
 * The projector's writes go through {@link TaskEventLog}.
 */
@Repository
class Tasks {

    /** Runtimes that keep no workspace (and change no files): a follow-up of theirs goes to any worker. */
    static final Set<String> NO_WORKSPACE = Set.of("echo");

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Tasks(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Insert(
            UUID id,
            TenantId tenant,
            NewTask task,
            String publicConfig,
            @Nullable String accessTokenSealed,
            @Nullable String aiApiKeySealed,
            @Nullable String traceId,
            String runSpec,
            Instant createdAt) {}

    void insert(Insert row) {
        Timestamp created = Timestamp.from(row.createdAt());
        jdbc.sql("""
                insert into tasks (id, tenant_id, status, repo_url, prompt, current_prompt, callback_url,
                                   webhook_events, config, runtime, timeout_seconds, access_token_sealed,
                                   ai_api_key_sealed, trace_id, run_spec, created_at, updated_at, kind)
                values (?, ?, 'pending', ?, ?, ?, ?, cast(? as text[]), cast(? as jsonb), ?, ?, ?, ?, ?,
                        cast(? as jsonb), ?, ?, ?)""")
                .params(
                        row.id(),
                        row.tenant().value(),
                        row.task().repoUrl(),
                        row.task().prompt(),
                        row.task().prompt(),
                        row.task().callbackUrl(),
                        row.task().webhookEvents() == null
                                ? null
                                : row.task().webhookEvents().toArray(String[]::new),
                        row.publicConfig(),
                        row.task().runtime(),
                        row.task().timeoutSeconds(),
                        row.accessTokenSealed(),
                        row.aiApiKeySealed(),
                        row.traceId(),
                        row.runSpec(),
                        created,
                        created,
                        row.task().mission() == null ? "task" : "mission")
                .update();
        jdbc.sql("""
                insert into task_iterations (task_id, number, tenant_id, prompt, status, created_at)
                values (?, 1, ?, ?, 'pending', ?)""")
                .params(row.id(), row.tenant().value(), row.task().prompt(), created)
                .update();
    }

    Optional<TaskView> find(TenantId tenant, UUID id) {
        return jdbc.sql("select * from tasks where tenant_id = ? and id = ?")
                .params(tenant.value(), id)
                .query(this::view)
                .optional();
    }

    Optional<Long> lastSeq(TenantId tenant, UUID id) {
        return jdbc.sql("select last_seq from tasks where tenant_id = ? and id = ?")
                .params(tenant.value(), id)
                .query(Long.class)
                .optional();
    }

    Optional<TaskStatus> status(TenantId tenant, UUID id) {
        return jdbc.sql("select status from tasks where tenant_id = ? and id = ?")
                .params(tenant.value(), id)
                .query((rs, n) -> TaskStatus.of(rs.getString("status")))
                .optional();
    }

    List<TaskView.IterationView> iterations(TenantId tenant, UUID id) {
        return jdbc.sql("select * from task_iterations where tenant_id = ? and task_id = ? order by number")
                .params(tenant.value(), id)
                .query((rs, n) -> new TaskView.IterationView(
                        rs.getInt("number"),
                        rs.getString("prompt"),
                        rs.getString("status"),
                        rs.getString("result"),
                        rs.getString("error"),
                        jsonOrNull(rs.getString("changes")),
                        jsonOrNull(rs.getString("usage")),
                        instant(rs, "started_at"),
                        instant(rs, "finished_at")))
                .list();
    }

    /** Newest first, keyset-paginated on (created_at, id), so pages stay stable while tasks are added. */
    Page page(TenantId tenant, @Nullable TaskStatus status, @Nullable PageCursor after, int limit) {
        // A mission's task is the session's business: seed 004's list shows tasks only.
        StringBuilder sql = new StringBuilder("select * from tasks where tenant_id = :tenant and kind = 'task'");
        if (status != null) {
            sql.append(" and status = :status");
        }
        if (after != null) {
            sql.append(" and (created_at, id) < (:createdAt, :id)");
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        var spec = jdbc.sql(sql.toString()).param("tenant", tenant.value()).param("limit", limit + 1);
        if (status != null) {
            spec = spec.param("status", status.wire());
        }
        if (after != null) {
            spec = spec.param("createdAt", Timestamp.from(after.createdAt())).param("id", after.id());
        }
        List<TaskView> rows = spec.query(this::view).list();
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        TaskView last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), new PageCursor(last.createdAt(), last.id()).encode());
    }

    record Page(List<TaskView> tasks, @Nullable String nextCursor) {}

    static NotFoundException notFound(UUID id) {
        return new NotFoundException("task not found", "Task " + id + " was not found.");
    }

    /** What cancel and instruct decide on, read under the row lock. */
    record Locked(
            TaskStatus status,
            int iteration,
            String runtime,
            @Nullable String sessionId,
            @Nullable String runSpec) {}

    Locked lock(TenantId tenant, UUID id) {
        return jdbc.sql("""
                select status, iteration, runtime, session_id, run_spec::text as run_spec
                from tasks where tenant_id = ? and id = ? for update""")
                .params(tenant.value(), id)
                .query((rs, n) -> new Locked(
                        TaskStatus.of(rs.getString("status")),
                        rs.getInt("iteration"),
                        rs.getString("runtime"),
                        rs.getString("session_id"),
                        rs.getString("run_spec")))
                .optional()
                .orElseThrow(() -> notFound(id));
    }

    void markCancelled(UUID id) {
        jdbc.sql("update tasks set cancelled_at = coalesce(cancelled_at, now()) where id = ?")
                .param(id)
                .update();
    }

    /** Moves the task to its next iteration, pending, with the run that iteration will be. */
    void startIteration(TenantId tenant, UUID id, int number, String prompt, String runSpec, Instant at) {
        Timestamp now = Timestamp.from(at);
        jdbc.sql("""
                update tasks set iteration = ?, status = 'pending', current_prompt = ?, result = null, error = null,
                       failure_reason = null, finished_at = null, cancelled_at = null,
                       run_spec = cast(? as jsonb), updated_at = ? where id = ?""").params(number, prompt, runSpec, now, id).update();
        jdbc.sql("""
                insert into task_iterations (task_id, number, tenant_id, prompt, status, created_at)
                values (?, ?, ?, ?, 'pending', ?)""").params(id, number, tenant.value(), prompt, now).update();
    }

    TaskPullRequests.Subject pullRequestSubject(TenantId tenant, UUID id, boolean lock) {
        return jdbc.sql("""
                select status, iteration, runtime, coalesce(repo_url, '') as repo_url, current_prompt,
                       access_token_sealed,
                       config->>'target_branch' as target_branch, last_seq, branch, pr_number, pr_url, updated_at
                from tasks where tenant_id = ? and id = ?""" + (lock ? " for update" : ""))
                .params(tenant.value(), id)
                .query((rs, n) -> new TaskPullRequests.Subject(
                        TaskStatus.of(rs.getString("status")),
                        rs.getInt("iteration"),
                        rs.getString("runtime"),
                        rs.getString("repo_url"),
                        rs.getString("current_prompt"),
                        rs.getString("access_token_sealed"),
                        rs.getString("target_branch"),
                        rs.getLong("last_seq"),
                        rs.getString("branch"),
                        rs.getObject("pr_number", Integer.class),
                        rs.getString("pr_url"),
                        rs.getTimestamp("updated_at").toInstant()))
                .optional()
                .orElseThrow(() -> notFound(id));
    }

    /** Remembers the status to go back to if the pull request fails (kept across a resend). */
    void markCreatingPullRequest(UUID id) {
        jdbc.sql("""
                update tasks set status = 'creating_pr', pr_error = null, updated_at = now(),
                       pr_previous_status = case when status = 'creating_pr' then pr_previous_status else status end
                where id = ?""").param(id).update();
    }

    int createdSince(TenantId tenant, Instant since) {
        return jdbc.sql("select count(*) from tasks where tenant_id = ? and created_at >= ?")
                .params(tenant.value(), Timestamp.from(since))
                .query(Integer.class)
                .single();
    }

    BigDecimal spentSince(TenantId tenant, Instant since) {
        return jdbc.sql("""
                select coalesce(sum((usage ->> 'cost_usd')::numeric), 0) from task_iterations
                where tenant_id = ? and finished_at >= ? and usage ->> 'cost_usd' is not null""")
                .params(tenant.value(), Timestamp.from(since))
                .query(BigDecimal.class)
                .single();
    }

    /** Tasks handed to the workers and not finished: what the running-tasks limit counts. */
    int admittedActive(TenantId tenant) {
        return jdbc.sql(
                        "select count(*) from tasks where tenant_id = ? and admitted_at is not null and status = any(?)")
                .params(tenant.value(), TaskStatus.wires(TaskStatus.ACTIVE))
                .query(Integer.class)
                .single();
    }

    private TaskView view(ResultSet rs, int row) throws SQLException {
        return new TaskView(
                rs.getObject("id", UUID.class),
                rs.getString("status"),
                rs.getString("repo_url"),
                rs.getString("prompt"),
                rs.getString("callback_url"),
                strings(rs.getArray("webhook_events")),
                json.readTree(rs.getString("config")),
                rs.getString("result"),
                rs.getString("error"),
                jsonOrNull(rs.getString("changes_summary")),
                jsonOrNull(rs.getString("usage")),
                rs.getInt("iteration"),
                rs.getString("current_prompt"),
                null,
                rs.getString("branch"),
                rs.getObject("pr_number", Integer.class),
                rs.getString("pr_url"),
                rs.getString("pr_error"),
                rs.getString("trace_id"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    private @Nullable JsonNode jsonOrNull(@Nullable String value) {
        return value == null ? null : json.readTree(value);
    }

    private static @Nullable List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
