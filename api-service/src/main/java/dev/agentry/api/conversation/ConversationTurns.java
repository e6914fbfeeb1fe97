package dev.agentry.api.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The conversation_turns table: one row per assistant run, and per skipped firing. */
@Repository
class ConversationTurns {

    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
    static final String SKIPPED = "skipped";
    static final Set<String> TERMINAL = Set.of(COMPLETED, FAILED, SKIPPED);

    private final JdbcClient jdbc;

    ConversationTurns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Turn(
            UUID id,
            UUID conversationId,
            String tenantId,
            String trigger,
            String status,
            @Nullable Instant fireTime,
            @Nullable Integer scheduleVersion,
            @Nullable UUID userMessageId,
            @Nullable UUID assistantMessageId,
            String statusBefore,
            boolean conversationUpdated,
            @Nullable String newStatus,
            @Nullable String error) {

        boolean terminal() {
            return TERMINAL.contains(status);
        }
    }

    /**
     * A new turn.
     *
     * @param statusBefore the conversation's status before the turn's request (a user message may change it)
     * @param scheduleVersion for a firing or run-now, the schedule version it runs for
     * @param updated whether the request changed the conversation already (an answer cleared its question)
     */
    record NewTurn(
            UUID id,
            Conversation conversation,
            String trigger,
            String status,
            ConversationStatus statusBefore,
            @Nullable Integer scheduleVersion,
            @Nullable UUID userMessageId,
            @Nullable Instant fireTime,
            boolean catchUp,
            @Nullable String skipReason,
            boolean updated,
            Instant now) {}

    /** Inserts the turn; false if it is a firing already recorded (same conversation and fire time). */
    boolean insert(NewTurn turn) {
        Conversation c = turn.conversation();
        return jdbc.sql("""
                        insert into conversation_turns (id, conversation_id, tenant_id, user_id, trigger, status,
                            fire_time, schedule_version, catch_up, skip_reason, user_message_id, status_before,
                            conversation_updated, created_at, finished_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict (conversation_id, fire_time) do nothing""")
                        .params(
                                turn.id(),
                                c.id(),
                                c.tenantId(),
                                c.userId(),
                                turn.trigger(),
                                turn.status(),
                                Conversations.timestamp(turn.fireTime()),
                                turn.scheduleVersion(),
                                turn.catchUp(),
                                turn.skipReason(),
                                turn.userMessageId(),
                                turn.statusBefore().wire(),
                                turn.updated(),
                                Timestamp.from(turn.now()),
                                SKIPPED.equals(turn.status()) ? Timestamp.from(turn.now()) : null)
                        .update()
                > 0;
    }

    Optional<Turn> find(UUID id) {
        return jdbc.sql(SELECT + " where id = ?")
                .param(id)
                .query(ConversationTurns::row)
                .optional();
    }

    Optional<Turn> lock(UUID id) {
        return jdbc.sql(SELECT + " where id = ? for update")
                .param(id)
                .query(ConversationTurns::row)
                .optional();
    }

    /**
     * Whether a turn of the conversation is queued or running. A turn older than {@code staleAfter} does not count:
     * its worker is gone without a word, and it must not hold the schedule back forever.
     */
    boolean inFlight(UUID conversationId, Duration staleAfter) {
        return jdbc.sql("""
                        select count(*) from conversation_turns
                        where conversation_id = ? and status in ('queued', 'running') and created_at > ?""")
                        .params(conversationId, Timestamp.from(Instant.now().minus(staleAfter)))
                        .query(Integer.class)
                        .single()
                > 0;
    }

    void started(UUID id, String workerId, Instant at) {
        jdbc.sql(
                        "update conversation_turns set status = 'running', worker_id = ?, started_at = ? where id = ? and status = 'queued'")
                .params(workerId, Timestamp.from(at), id)
                .update();
    }

    record Finish(
            String status,
            @Nullable UUID assistantMessageId,
            boolean conversationUpdated,
            @Nullable String newStatus,
            @Nullable String error,
            Instant at) {}

    void finish(UUID id, Finish finish) {
        jdbc.sql("""
                update conversation_turns set status = ?, assistant_message_id = ?, conversation_updated = ?,
                    new_status = ?, error = ?, finished_at = ?
                where id = ?""")
                .params(
                        finish.status(),
                        finish.assistantMessageId(),
                        finish.conversationUpdated(),
                        finish.newStatus(),
                        finish.error(),
                        Timestamp.from(finish.at()),
                        id)
                .update();
    }

    private static final String SELECT = """
            select id, conversation_id, tenant_id, trigger, status, fire_time, schedule_version, user_message_id,
                assistant_message_id, status_before, conversation_updated, new_status, error
            from conversation_turns""";

    private static Turn row(ResultSet rs, int n) throws SQLException {
        return new Turn(
                rs.getObject("id", UUID.class),
                rs.getObject("conversation_id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("trigger"),
                rs.getString("status"),
                Conversations.instant(rs.getTimestamp("fire_time")),
                rs.getObject("schedule_version", Integer.class),
                rs.getObject("user_message_id", UUID.class),
                rs.getObject("assistant_message_id", UUID.class),
                rs.getString("status_before"),
                rs.getBoolean("conversation_updated"),
                rs.getString("new_status"),
                rs.getString("error"));
    }
}
