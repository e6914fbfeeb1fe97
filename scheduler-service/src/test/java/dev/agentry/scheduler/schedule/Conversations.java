package dev.agentry.scheduler.schedule;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Writes conversation rows the way the API does (the scheduler itself never writes them). */
final class Conversations {

    private final JdbcClient jdbc;
    private final String tenant = "tenant-" + UUID.randomUUID();

    Conversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
        jdbc.sql("insert into tenants (id, name) values (?, ?)")
                .params(tenant, tenant)
                .update();
    }

    String tenant() {
        return tenant;
    }

    UUID cron(String expression, String timezone) {
        return insert("cron", expression, timezone, null, null);
    }

    UUID insert(
            String type,
            @Nullable String cron,
            @Nullable String timezone,
            @Nullable Instant runAt,
            @Nullable Instant nextRunAt) {
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.sql("""
                        insert into conversations (id, tenant_id, user_id, title, status, schedule_type, cron_expression,
                                                   timezone, run_at, schedule_task, schedule_version, next_run_at,
                                                   created_at, updated_at)
                        values (?, ?, 'user-1', 'Watch flights', 'background', ?, ?, ?, ?, 'Check flights', 1, ?, ?, ?)""")
                .params(id, tenant, type, cron, timezone, utc(runAt), utc(nextRunAt), now, now)
                .update();
        return id;
    }

    /** What archiving (or stop_schedule) does: the schedule is cleared and its version bumped. */
    void archive(UUID conversation) {
        jdbc.sql("""
                        update conversations
                        set status = 'archived', schedule_type = null, cron_expression = null, timezone = null,
                            run_at = null, schedule_task = null, next_run_at = null,
                            schedule_version = schedule_version + 1
                        where id = ?""").param(conversation).update();
    }

    void deleteAll() {
        jdbc.sql("delete from conversations where tenant_id = ?").param(tenant).update();
    }

    /** The cursor's next instant, or null when it has none or there is no cursor. */
    @Nullable
    Instant nextFireAt(UUID conversation) {
        return jdbc.sql("select next_fire_at from schedule_cursors where conversation_id = ?")
                .param(conversation)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
                .optional()
                .map(OffsetDateTime::toInstant)
                .orElse(null);
    }

    boolean hasCursor(UUID conversation) {
        return jdbc.sql("select count(*) from schedule_cursors where conversation_id = ?")
                        .param(conversation)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    @Nullable
    String cursorError(UUID conversation) {
        return jdbc.sql("select error from schedule_cursors where conversation_id = ?")
                .param(conversation)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
