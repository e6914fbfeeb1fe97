package dev.agentry.scheduler.reaper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Read-only view of the API's {@code tasks} table: the tasks a worker holds. This is a system job across tenants;
 * every event it derives carries the row's own tenant.
 */
@Repository
class HeldTasks {

    // The conditions mirror HeldTask.stuck(); the SQL narrows the scan, Java decides and words the verdict. The
    // start that counts is the current iteration's: a follow-up gets its own timeout. A follow-up still pending
    // long after it was sent never reached the worker that holds its workspace. It is sent when it is admitted: a
    // follow-up of a tenant at its running-tasks limit waits pending with admitted_at null, and is on no worker yet.
    private static final String STUCK = """
            select t.id, t.tenant_id, t.status, t.iteration, t.worker_id, t.timeout_seconds,
                   coalesce(i.started_at, t.started_at) as started_at, t.last_heartbeat_at, t.updated_at,
                   t.admitted_at
              from tasks t
              left join task_iterations i on i.task_id = t.id and i.number = t.iteration
             where (t.status in ('cloning', 'running')
                    and (coalesce(t.last_heartbeat_at, i.started_at, t.started_at, t.updated_at) < :staleBefore
                         or coalesce(i.started_at, t.started_at) + make_interval(secs => t.timeout_seconds)
                            < :overdueBefore))
                or (t.status = 'pending' and t.iteration > 1 and t.admitted_at is not null
                    and greatest(t.updated_at, t.admitted_at) < :staleBefore)
             order by coalesce(t.last_heartbeat_at, t.started_at, t.updated_at), t.id
             limit :limit
            """;

    private final JdbcClient jdbc;

    HeldTasks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Held tasks with no sign of life since before {@code now - staleAfter}, or overdue by more than the margin. */
    List<HeldTask> suspectedStuck(Instant now, Duration staleAfter, Duration timeoutMargin, int limit) {
        return jdbc.sql(STUCK)
                .param("staleBefore", utc(now.minus(staleAfter)))
                .param("overdueBefore", utc(now.minus(timeoutMargin)))
                .param("limit", limit)
                .query((rs, row) -> heldTask(rs))
                .list();
    }

    private static HeldTask heldTask(ResultSet rs) throws SQLException {
        return new HeldTask(
                rs.getObject("id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("status"),
                rs.getInt("iteration"),
                rs.getString("worker_id"),
                rs.getInt("timeout_seconds"),
                instant(rs, "started_at"),
                instant(rs, "last_heartbeat_at"),
                Objects.requireNonNull(instant(rs, "updated_at")),
                instant(rs, "admitted_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
