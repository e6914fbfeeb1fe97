package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The tasks table and its iterations, always scoped by tenant. */
@Repository
class Tasks {

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
                                   ai_api_key_sealed, trace_id, run_spec, created_at, updated_at)
                values (?, ?, 'pending', ?, ?, ?, ?, cast(? as text[]), cast(? as jsonb), ?, ?, ?, ?, ?,
                        cast(? as jsonb), ?, ?)""")
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
                        created)
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
    Page page(TenantId tenant, @Nullable TaskStatus status, @Nullable Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("select * from tasks where tenant_id = :tenant");
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
        return new Page(rows.subList(0, limit), new Cursor(last.createdAt(), last.id()).encode());
    }

    record Page(List<TaskView> tasks, @Nullable String nextCursor) {}

    /** An opaque position in the newest-first order. */
    record Cursor(Instant createdAt, UUID id) {

        String encode() {
            String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Optional<Cursor> decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                int dot = raw.indexOf('.');
                if (bar < 0 || dot < 0 || dot > bar) {
                    return Optional.empty();
                }
                Instant at = Instant.ofEpochSecond(
                        Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1, bar)));
                return Optional.of(new Cursor(at, UUID.fromString(raw.substring(bar + 1))));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                return Optional.empty();
            }
        }
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
