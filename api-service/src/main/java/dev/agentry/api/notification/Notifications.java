package dev.agentry.api.notification;

import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.owned.Owner;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The notifications table. Reads are always scoped to one owner; another user's row is a 403, another tenant's a 404. */
@Repository
public class Notifications {

    static final String NOT_FOUND = "Notification not found";
    /** Delivered by PostgreSQL on commit to every API instance's {@link NotificationSignals}. */
    static final String CHANNEL = "agentry_notification_created";

    private final JdbcClient jdbc;

    Notifications(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Notification(
            UUID id,
            String tenantId,
            String userId,
            @Nullable UUID conversationId,
            String title,
            String body,
            boolean isRead,
            Instant createdAt,
            long seq) {}

    /**
     * Writes a notification for a conversation's user, inside the caller's transaction, and signals every API
     * instance's live streams when that transaction commits (nothing, if it rolls back).
     */
    public void create(String tenantId, String userId, @Nullable UUID conversationId, String title, String body) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into notifications (id, tenant_id, user_id, conversation_id, title, body, created_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        id,
                        tenantId,
                        userId,
                        conversationId,
                        title,
                        body,
                        Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MILLIS)))
                .update();
        jdbc.sql("select pg_notify(?, ?)")
                .params(CHANNEL, NotificationSignals.payload(tenantId, userId, id))
                .query((rs, n) -> 1)
                .list();
    }

    /** The notification {@code id}, if it (still) exists. */
    java.util.Optional<Notification> find(UUID id) {
        return jdbc.sql(SELECT + " where id = ?")
                .param(id)
                .query(Notifications::notification)
                .optional();
    }

    /** The owner's notifications written after {@code seq}, oldest first, at most {@code limit}. */
    List<Notification> after(Owner owner, long seq, int limit) {
        return jdbc.sql(SELECT + " where tenant_id = ? and user_id = ? and seq > ? order by seq limit ?")
                .params(owner.tenant().value(), owner.userId(), seq, limit)
                .query(Notifications::notification)
                .list();
    }

    /** The owner's latest {@code seq}, 0 when there is none: where a stream without Last-Event-ID starts. */
    long latestSeq(Owner owner) {
        return jdbc.sql("select coalesce(max(seq), 0) from notifications where tenant_id = ? and user_id = ?")
                .params(owner.tenant().value(), owner.userId())
                .query(Long.class)
                .single();
    }

    List<Notification> list(Owner owner, boolean unreadOnly) {
        return jdbc.sql(SELECT + " where tenant_id = ? and user_id = ?" + (unreadOnly ? " and not is_read" : "")
                        + " order by created_at desc, id")
                .params(owner.tenant().value(), owner.userId())
                .query(Notifications::notification)
                .list();
    }

    int unreadCount(Owner owner) {
        return jdbc.sql("select count(*) from notifications where tenant_id = ? and user_id = ? and not is_read")
                .params(owner.tenant().value(), owner.userId())
                .query(Integer.class)
                .single();
    }

    /** The owner's notification, or 404 (none, or another tenant's) or 403 (another user's). */
    Notification get(Owner owner, UUID id) {
        Notification notification = jdbc.sql(SELECT + " where id = ?")
                .param(id)
                .query(Notifications::notification)
                .optional()
                .orElseThrow(() -> new NotFoundException("not found", NOT_FOUND));
        owner.check(notification.tenantId(), notification.userId(), NOT_FOUND);
        return notification;
    }

    void markRead(UUID id) {
        jdbc.sql("update notifications set is_read = true where id = ?")
                .param(id)
                .update();
    }

    void markAllRead(Owner owner) {
        jdbc.sql("update notifications set is_read = true where tenant_id = ? and user_id = ? and not is_read")
                .params(owner.tenant().value(), owner.userId())
                .update();
    }

    void delete(UUID id) {
        jdbc.sql("delete from notifications where id = ?").param(id).update();
    }

    private static final String SELECT =
            "select id, tenant_id, user_id, conversation_id, title, body, is_read, created_at, seq from notifications";

    private static Notification notification(ResultSet rs, int n) throws SQLException {
        return new Notification(
                rs.getObject("id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("user_id"),
                rs.getObject("conversation_id", UUID.class),
                rs.getString("title"),
                rs.getString("body"),
                rs.getBoolean("is_read"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getLong("seq"));
    }
}
