package dev.agentry.api.conversation;

import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.owned.Owner;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.ScheduleSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The conversations table. */
@Repository
class Conversations {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;

    Conversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Conversation c) {
        jdbc.sql("""
                insert into conversations (id, tenant_id, user_id, title, status, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        c.id(),
                        c.tenantId(),
                        c.userId(),
                        c.title(),
                        c.status().wire(),
                        Timestamp.from(c.createdAt()),
                        Timestamp.from(c.updatedAt()))
                .update();
    }

    /** Writes everything but the owner and creation time. */
    void update(Conversation c) {
        ScheduleSpec s = c.schedule();
        jdbc.sql("""
                update conversations set title = ?, status = ?, schedule_type = ?, cron_expression = ?, timezone = ?,
                    run_at = ?, schedule_task = ?, schedule_version = ?, paused_at = ?, next_run_at = ?,
                    state_context = cast(? as jsonb), state_step = ?, state_data = cast(? as jsonb),
                    pending_question = cast(? as jsonb), updated_at = ?
                where id = ?""")
                .params(
                        c.title(),
                        c.status().wire(),
                        s == null ? null : s.type(),
                        s == null ? null : s.cronExpression(),
                        s == null ? null : s.timezone(),
                        s == null ? null : timestamp(s.runAt()),
                        s == null ? null : s.task(),
                        c.scheduleVersion(),
                        timestamp(c.pausedAt()),
                        timestamp(c.nextRunAt()),
                        JSON.writeValueAsString(c.context()),
                        c.step(),
                        JSON.writeValueAsString(c.data()),
                        c.pendingQuestion() == null ? null : JSON.writeValueAsString(c.pendingQuestion()),
                        Timestamp.from(c.updatedAt()),
                        c.id())
                .update();
    }

    Optional<Conversation> find(UUID id) {
        return jdbc.sql(SELECT + " where id = ?")
                .param(id)
                .query(Conversations::row)
                .optional();
    }

    /** Locks the row for the rest of the transaction: turns, firings and requests of one conversation take turns. */
    Optional<Conversation> lock(UUID id) {
        return jdbc.sql(SELECT + " where id = ? for update")
                .param(id)
                .query(Conversations::row)
                .optional();
    }

    /** The owner's conversation, or 404 (none, or another tenant's) or 403 (another user's). */
    Conversation get(Owner owner, UUID id, boolean forUpdate) {
        Conversation c = (forUpdate ? lock(id) : find(id))
                .orElseThrow(() -> new NotFoundException("not found", Conversation.NOT_FOUND));
        owner.check(c.tenantId(), c.userId(), Conversation.NOT_FOUND);
        return c;
    }

    List<Conversation> list(Owner owner) {
        return jdbc.sql(SELECT + " where tenant_id = ? and user_id = ? order by updated_at desc, id")
                .params(owner.tenant().value(), owner.userId())
                .query(Conversations::row)
                .list();
    }

    void delete(UUID id) {
        jdbc.sql("delete from conversations where id = ?").param(id).update();
    }

    private static final String SELECT = """
            select id, tenant_id, user_id, title, status, schedule_type, cron_expression, timezone, run_at,
                schedule_task, schedule_version, paused_at, next_run_at, state_context::text as state_context,
                state_step, state_data::text as state_data, pending_question::text as pending_question,
                created_at, updated_at
            from conversations""";

    private static Conversation row(ResultSet rs, int n) throws SQLException {
        String type = rs.getString("schedule_type");
        ScheduleSpec schedule = type == null
                ? null
                : new ScheduleSpec(
                        type,
                        rs.getString("cron_expression"),
                        rs.getString("timezone"),
                        instant(rs.getTimestamp("run_at")),
                        rs.getString("schedule_task"));
        String question = rs.getString("pending_question");
        return new Conversation(
                rs.getObject("id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("user_id"),
                rs.getString("title"),
                ConversationStatus.fromWire(rs.getString("status")).orElseThrow(),
                schedule,
                rs.getInt("schedule_version"),
                instant(rs.getTimestamp("paused_at")),
                instant(rs.getTimestamp("next_run_at")),
                JSON.readValue(rs.getString("state_context"), MAP),
                rs.getString("state_step"),
                JSON.readValue(rs.getString("state_data"), MAP),
                question == null ? null : JSON.readValue(question, PendingQuestion.class),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
