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

    // Both conditions mirror HeldTask.stuck(); the SQL narrows the scan, Java decides and words the verdict.
    private static final String STUCK = """
            select id, tenant_id, status, iteration, worker_id, timeout_seconds,
                   started_at, last_heartbeat_at, updated_at
              from tasks
             where status in ('cloning', 'running')
               and (coalesce(last_heartbeat_at, started_at, updated_at) < :staleBefore
                    or started_at + make_interval(secs => timeout_seconds) < :overdueBefore)
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
                instant(rs, "started_at"),
                instant(rs, "last_heartbeat_at"),
                Objects.requireNonNull(instant(rs, "updated_at")));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
