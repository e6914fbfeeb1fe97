package dev.agentry.scheduler.schedule;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The scheduler's {@code schedule_cursors} (V10), read together with the API's schedules through the
 * {@code scheduler_conversation_schedules} view. Cursors are only ever written here.
 */
class ScheduleCursors {

    private final JdbcClient jdbc;
    private final JdbcTemplate batch;

    ScheduleCursors(JdbcClient jdbc, JdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    /**
     * Schedules with no cursor, or a cursor for an older schedule version. Every query here looks rows up by primary
     * key from a correlated subquery rather than through a join, so that no planner estimate (a table just filled,
     * its statistics still saying empty) can turn a pass into a nested loop over both tables.
     */
    List<ScheduleRow> unsynced(int limit) {
        return jdbc.sql("""
                        select s.conversation_id, s.tenant_id, s.schedule_type, s.cron_expression, s.timezone,
                               s.run_at, s.next_run_at, s.schedule_version
                        from scheduler_conversation_schedules s
                        where coalesce((select c.schedule_version from schedule_cursors c
                                        where c.conversation_id = s.conversation_id), -1) < s.schedule_version
                        limit ?""").param(limit).query(ScheduleCursors::scheduleRow).list();
    }

    /**
     * Starts the cursor of {@code schedule}'s version at {@code nextFireAt}, or records why it cannot fire. A cursor
     * for a newer version (another scheduler read the view later) is left alone, and so is a conversation that was
     * deleted meanwhile.
     */
    void start(ScheduleRow schedule, @Nullable Instant nextFireAt, @Nullable String error, Instant now) {
        jdbc.sql("""
                        insert into schedule_cursors (conversation_id, tenant_id, schedule_version, next_fire_at,
                                                      error, created_at, updated_at)
                        select id, tenant_id, ?::integer, ?::timestamptz, ?::text, ?::timestamptz, ?::timestamptz
                        from conversations where id = ?
                        on conflict (conversation_id) do update
                            set schedule_version = excluded.schedule_version, next_fire_at = excluded.next_fire_at,
                                error = excluded.error, updated_at = excluded.updated_at
                            where schedule_cursors.schedule_version < excluded.schedule_version""")
                .params(
                        schedule.scheduleVersion(),
                        timestamp(nextFireAt),
                        error,
                        timestamp(now),
                        timestamp(now),
                        schedule.conversationId())
                .update();
    }

    /** Drops the cursors of schedules that left the view (cleared, paused, archived, not in the background). */
    int dropOrphans(int limit) {
        return jdbc.sql("""
                        delete from schedule_cursors where conversation_id = any(array(
                            select c.conversation_id from schedule_cursors c
                            where (select s.schedule_version from scheduler_conversation_schedules s
                                   where s.conversation_id = c.conversation_id) is null
                            limit ?
                            for update of c skip locked))""").param(limit).update();
    }

    /**
     * Claims up to {@code limit} cursors due at {@code now}, locked until the calling transaction ends; cursors another
     * scheduler holds are skipped, not waited for.
     */
    List<DueCursor> claimDue(Instant now, int limit) {
        return jdbc.sql("""
                        select c.conversation_id, c.tenant_id, c.schedule_version, c.next_fire_at,
                               s.schedule_type, s.cron_expression, s.timezone
                        from schedule_cursors c
                        cross join lateral (
                            select v.schedule_type, v.cron_expression, v.timezone
                            from scheduler_conversation_schedules v
                            where v.conversation_id = c.conversation_id and v.schedule_version = c.schedule_version
                            offset 0) s
                        where c.next_fire_at <= ?
                        order by c.next_fire_at
                        limit ?
                        for update of c skip locked""")
                .params(timestamp(now), limit)
                .query((rs, n) -> new DueCursor(
                        rs.getObject("conversation_id", UUID.class),
                        rs.getString("tenant_id"),
                        rs.getInt("schedule_version"),
                        instant(rs, "next_fire_at"),
                        rs.getString("schedule_type"),
                        rs.getString("cron_expression"),
                        rs.getString("timezone")))
                .list();
    }

    /**
     * Moves each fired cursor on, only if it still holds the instant that was fired and the same version (a
     * compare-and-set on top of the row lock). One statement for the whole batch.
     *
     * @return how many cursors moved
     */
    int advance(List<Fired> fired, Instant now) {
        if (fired.isEmpty()) {
            return 0;
        }
        UUID[] ids = new UUID[fired.size()];
        Integer[] versions = new Integer[fired.size()];
        String[] firedAt = new String[fired.size()];
        String[] nextAt = new String[fired.size()];
        for (int i = 0; i < fired.size(); i++) {
            Fired f = fired.get(i);
            ids[i] = f.due().conversationId();
            versions[i] = f.due().scheduleVersion();
            firedAt[i] = f.due().nextFireAt().toString();
            Instant next = f.firing().nextFireAt();
            nextAt[i] = next == null ? null : next.toString();
        }
        Integer moved = batch.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    update schedule_cursors c
                    set next_fire_at = v.next_at::timestamptz, last_fired_at = v.fired_at::timestamptz,
                        last_published_at = ?, firings = c.firings + 1, error = null, updated_at = ?
                    from unnest(?::uuid[], ?::integer[], ?::text[], ?::text[])
                         as v(conversation_id, schedule_version, fired_at, next_at)
                    where c.conversation_id = v.conversation_id and c.schedule_version = v.schedule_version
                      and c.next_fire_at = v.fired_at::timestamptz""")) {
                statement.setObject(1, timestamp(now));
                statement.setObject(2, timestamp(now));
                statement.setArray(3, connection.createArrayOf("uuid", ids));
                statement.setArray(4, connection.createArrayOf("integer", versions));
                statement.setArray(5, connection.createArrayOf("text", firedAt));
                statement.setArray(6, connection.createArrayOf("text", nextAt));
                return statement.executeUpdate();
            }
        });
        return moved == null ? 0 : moved;
    }

    /** Stops a cursor that cannot be evaluated, keeping why. */
    void markInvalid(DueCursor due, String error, Instant now) {
        jdbc.sql("""
                        update schedule_cursors set next_fire_at = null, error = ?, updated_at = ?
                        where conversation_id = ? and schedule_version = ?""")
                .params(error, timestamp(now), due.conversationId(), due.scheduleVersion())
                .update();
    }

    /** The earliest instant any cursor waits for, to wake up on time. */
    Optional<Instant> earliestDue() {
        return jdbc.sql("select min(next_fire_at) from schedule_cursors where next_fire_at is not null")
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant))
                .single();
    }

    /** A cursor and what was published for it. */
    record Fired(DueCursor due, Firing firing) {}

    private static ScheduleRow scheduleRow(ResultSet rs, int n) throws SQLException {
        return new ScheduleRow(
                rs.getObject("conversation_id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("schedule_type"),
                rs.getString("cron_expression"),
                rs.getString("timezone"),
                nullableInstant(rs, "run_at"),
                nullableInstant(rs, "next_run_at"),
                rs.getInt("schedule_version"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable OffsetDateTime timestamp(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
