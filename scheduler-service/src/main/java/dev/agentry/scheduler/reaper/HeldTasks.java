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
 * The tasks a worker holds, read (never written) through the API's {@code scheduler_tasks} view (API migration V8,
 * the scheduler's contract with the API's schema). This is a system job across tenants; every event it derives carries
 * the row's own tenant.
 */
@Repository
class HeldTasks {

    // The conditions mirror HeldTask.stuck(); the SQL narrows the scan, Java decides and words the verdict. The
    // start that counts is the current iteration's: a follow-up gets its own timeout. A follow-up still pending
    // long after it was sent never reached the worker that holds its workspace. It is sent when it is admitted: a
    // follow-up of a tenant at its running-tasks limit waits pending with admitted_at null, and is on no worker yet.
    private static final String STUCK = """
            select id, tenant_id, status, iteration, worker_id, timeout_seconds,
                   iteration_started_at, last_heartbeat_at, updated_at, admitted_at
              from scheduler_tasks
             where (status in ('cloning', 'running')
                    and (coalesce(last_heartbeat_at, iteration_started_at, updated_at) < :staleBefore
                         or iteration_started_at + make_interval(secs => timeout_seconds) < :overdueBefore))
                or (status = 'pending' and iteration > 1 and admitted_at is not null
                    and greatest(updated_at, admitted_at) < :staleBefore)
             order by coalesce(last_heartbeat_at, started_at, updated_at), id
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
                instant(rs, "iteration_started_at"),
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
