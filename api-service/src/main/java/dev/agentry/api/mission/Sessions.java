package dev.agentry.api.mission;

import dev.agentry.api.owned.Owner;
import dev.agentry.api.support.PageCursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code mission_sessions} table. */
@Repository
class Sessions {

    private final JdbcClient jdbc;

    Sessions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Session s) {
        jdbc.sql("""
                insert into mission_sessions (id, tenant_id, user_id, profile, mission, status, message, task_id,
                    iteration, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        s.id(),
                        s.tenantId(),
                        s.userId(),
                        s.profile(),
                        s.mission(),
                        s.status().wire(),
                        s.message(),
                        s.taskId(),
                        s.iteration(),
                        Timestamp.from(s.createdAt()),
                        Timestamp.from(s.updatedAt()))
                .update();
    }

    /** Any tenant's session of that id, so that the caller's {@link Owner#check} tells 404 from 403. */
    Optional<Session> find(UUID id, boolean lock) {
        return jdbc.sql("select * from mission_sessions where id = ?" + (lock ? " for update" : ""))
                .param(id)
                .query(Sessions::session)
                .optional();
    }

    /** The session runs {@code iteration} of {@code taskId} now. */
    void running(UUID id, UUID taskId, int iteration, Instant at) {
        jdbc.sql("""
                update mission_sessions set status = 'in_progress', message = null, task_id = ?, iteration = ?,
                    updated_at = ? where id = ?""").params(taskId, iteration, Timestamp.from(at), id).update();
    }

    /**
     * Records how an iteration ended, once: only while the session still runs that iteration.
     *
     * @return whether a session took it
     */
    boolean ended(UUID taskId, int iteration, MissionOutcome outcome) {
        return jdbc.sql("""
                        update mission_sessions set status = ?, message = ?, updated_at = now()
                        where task_id = ? and iteration = ? and status = 'in_progress'""")
                        .params(outcome.status().wire(), outcome.message(), taskId, iteration)
                        .update()
                == 1;
    }

    /** The owner's sessions, newest first, keyset-paginated on {@code (created_at, id)}. */
    List<Session> page(
            Owner owner, @Nullable SessionStatus status, @Nullable String profile, @Nullable PageCursor after, int n) {
        StringBuilder sql =
                new StringBuilder("select * from mission_sessions where tenant_id = :tenant and user_id = :user");
        if (status != null) {
            sql.append(" and status = :status");
        }
        if (profile != null) {
            sql.append(" and profile = :profile");
        }
        if (after != null) {
            sql.append(" and (created_at, id) < (:createdAt, :id)");
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        var spec = jdbc.sql(sql.toString())
                .param("tenant", owner.tenant().value())
                .param("user", owner.userId())
                .param("limit", n);
        if (status != null) {
            spec = spec.param("status", status.wire());
        }
        if (profile != null) {
            spec = spec.param("profile", profile);
        }
        if (after != null) {
            spec = spec.param("createdAt", Timestamp.from(after.createdAt())).param("id", after.id());
        }
        return spec.query(Sessions::session).list();
    }

    private static Session session(ResultSet rs, int row) throws SQLException {
        return new Session(
                rs.getObject("id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("user_id"),
                rs.getString("profile"),
                rs.getString("mission"),
                SessionStatus.fromWire(rs.getString("status")).orElseThrow(),
                rs.getString("message"),
                rs.getObject("task_id", UUID.class),
                rs.getInt("iteration"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
