package dev.agentry.api.conversation;

import dev.agentry.events.conversation.ChatMessage;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A conversation's messages, in the order they were written. */
@Repository
class ConversationMessages {

    /** GET shows at most this many messages, the latest ones. */
    static final int SHOWN = 1000;

    private final JdbcClient jdbc;

    ConversationMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record StoredMessage(UUID id, UUID conversationId, String role, String content, String source, Instant createdAt) {}

    StoredMessage insert(
            Conversation c, @Nullable UUID turnId, String role, String content, String source, Instant now) {
        StoredMessage message = new StoredMessage(UUID.randomUUID(), c.id(), role, content, source, now);
        jdbc.sql("""
                insert into conversation_messages
                    (id, conversation_id, tenant_id, user_id, turn_id, role, content, source, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        message.id(),
                        c.id(),
                        c.tenantId(),
                        c.userId(),
                        turnId,
                        role,
                        content,
                        source,
                        Timestamp.from(now))
                .update();
        return message;
    }

    Optional<StoredMessage> find(UUID id) {
        return jdbc.sql(SELECT + " where id = ?")
                .param(id)
                .query(ConversationMessages::row)
                .optional();
    }

    /** Oldest first: the latest {@link #SHOWN}. */
    List<StoredMessage> list(UUID conversationId) {
        List<StoredMessage> latest = jdbc.sql(SELECT + " where conversation_id = ? order by seq desc limit ?")
                .params(conversationId, SHOWN)
                .query(ConversationMessages::row)
                .list();
        List<StoredMessage> ordered = new ArrayList<>(latest);
        Collections.reverse(ordered);
        return ordered;
    }

    /** The history a turn sends to the model, oldest first: the latest messages within both bounds. */
    List<ChatMessage> history(UUID conversationId, int maxMessages, int maxBytes) {
        List<ChatMessage> latest = jdbc.sql("""
                select role, content, source from conversation_messages where conversation_id = ?
                order by seq desc limit ?""")
                .params(conversationId, maxMessages)
                .query((rs, n) ->
                        new ChatMessage(rs.getString("role"), rs.getString("content"), rs.getString("source")))
                .list();
        List<ChatMessage> kept = new ArrayList<>();
        long bytes = 0;
        for (ChatMessage message : latest) {
            bytes += message.content().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes && !kept.isEmpty()) {
                break;
            }
            kept.add(message);
        }
        Collections.reverse(kept);
        return kept;
    }

    private static final String SELECT =
            "select id, conversation_id, role, content, source, created_at from conversation_messages";

    private static StoredMessage row(ResultSet rs, int n) throws SQLException {
        return new StoredMessage(
                rs.getObject("id", UUID.class),
                rs.getObject("conversation_id", UUID.class),
                rs.getString("role"),
                rs.getString("content"),
                rs.getString("source"),
                rs.getTimestamp("created_at").toInstant());
    }
}
