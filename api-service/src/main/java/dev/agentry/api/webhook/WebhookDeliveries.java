package dev.agentry.api.webhook;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the deliveries and attempts the scheduler recorded, always scoped by tenant, and flags redeliveries. */
@Repository
class WebhookDeliveries {

    private final JdbcClient jdbc;

    WebhookDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record AttemptView(
            int number,
            Instant attemptedAt,
            @Nullable Integer statusCode,
            long latencyMs,
            @Nullable String responseBody,
            @Nullable String error,
            boolean redelivery) {}

    record DeliveryView(
            UUID id,
            String webhookId,
            @Nullable UUID taskId,
            @Nullable UUID conversationId,
            String eventType,
            String url,
            String status,
            int attemptCount,
            @Nullable Instant nextAttemptAt,
            @Nullable Integer lastStatusCode,
            @Nullable String lastError,
            @Nullable Instant redeliveryRequestedAt,
            Instant createdAt,
            Instant updatedAt,
            List<AttemptView> attempts) {}

    record Page(List<DeliveryView> deliveries, @Nullable String nextCursor) {}

    Page list(TenantId tenant, @Nullable UUID taskId, @Nullable String status, @Nullable String cursor, int limit) {
        StringBuilder sql = new StringBuilder("""
                select id, task_id, conversation_id, event_type, url, status, attempts, next_attempt_at, last_status_code, last_error,
                       redeliver_requested_at, created_at, updated_at
                  from webhook_deliveries
                 where tenant_id = :tenant""");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenant.value());
        if (taskId != null) {
            sql.append(" and task_id = :task");
            params.put("task", taskId);
        }
        if (status != null) {
            sql.append(" and status = :status");
            params.put("status", status);
        }
        if (cursor != null) {
            Cursor after = Cursor.decode(cursor);
            sql.append(" and (created_at, id) < (:cursorAt, :cursorId)");
            params.put("cursorAt", utc(after.createdAt()));
            params.put("cursorId", after.id());
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        params.put("limit", limit + 1);
        List<DeliveryView> rows = new ArrayList<>(jdbc.sql(sql.toString())
                .params(params)
                .query((rs, n) -> delivery(rs, List.of()))
                .list());
        String next = null;
        if (rows.size() > limit) {
            rows = new ArrayList<>(rows.subList(0, limit));
            DeliveryView last = rows.getLast();
            next = new Cursor(last.createdAt(), last.id()).encode();
        }
        Map<UUID, List<AttemptView>> attempts =
                attempts(tenant, rows.stream().map(DeliveryView::id).toList());
        List<DeliveryView> withAttempts = rows.stream()
                .map(row -> withAttempts(row, attempts.getOrDefault(row.id(), List.of())))
                .toList();
        return new Page(withAttempts, next);
    }

    Optional<DeliveryView> find(TenantId tenant, UUID id) {
        return jdbc.sql("""
                        select id, task_id, conversation_id, event_type, url, status, attempts, next_attempt_at, last_status_code,
                               last_error, redeliver_requested_at, created_at, updated_at
                          from webhook_deliveries where tenant_id = ? and id = ?""")
                .params(tenant.value(), id)
                .query((rs, n) -> delivery(rs, List.of()))
                .optional()
                .map(row -> withAttempts(row, attempts(tenant, List.of(id)).getOrDefault(id, List.of())));
    }

    /** Asks the scheduler to send it again; false when this tenant has no such delivery. */
    boolean requestRedelivery(TenantId tenant, UUID id) {
        return jdbc.sql("""
                        update webhook_deliveries set redeliver_requested_at = now(), updated_at = now()
                         where tenant_id = ? and id = ?""").params(tenant.value(), id).update() == 1;
    }

    private Map<UUID, List<AttemptView>> attempts(TenantId tenant, List<UUID> deliveries) {
        Map<UUID, List<AttemptView>> byDelivery = new LinkedHashMap<>();
        if (deliveries.isEmpty()) {
            return byDelivery;
        }
        jdbc.sql("""
                        select delivery_id, number, attempted_at, status_code, latency_ms, response_body, error, manual
                          from webhook_attempts
                         where tenant_id = :tenant and delivery_id in (:ids)
                         order by delivery_id, number""").param("tenant", tenant.value()).param("ids", deliveries).query(rs -> {
            byDelivery
                    .computeIfAbsent(rs.getObject("delivery_id", UUID.class), id -> new ArrayList<>())
                    .add(new AttemptView(
                            rs.getInt("number"),
                            instant(rs, "attempted_at"),
                            (Integer) rs.getObject("status_code"),
                            rs.getLong("latency_ms"),
                            rs.getString("response_body"),
                            rs.getString("error"),
                            rs.getBoolean("manual")));
        });
        return byDelivery;
    }

    private static DeliveryView delivery(ResultSet rs, List<AttemptView> attempts) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        return new DeliveryView(
                id,
                id.toString(),
                rs.getObject("task_id", UUID.class),
                rs.getObject("conversation_id", UUID.class),
                rs.getString("event_type"),
                rs.getString("url"),
                rs.getString("status"),
                rs.getInt("attempts"),
                nullableInstant(rs, "next_attempt_at"),
                (Integer) rs.getObject("last_status_code"),
                rs.getString("last_error"),
                nullableInstant(rs, "redeliver_requested_at"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                attempts);
    }

    private static DeliveryView withAttempts(DeliveryView d, List<AttemptView> attempts) {
        return new DeliveryView(
                d.id(),
                d.webhookId(),
                d.taskId(),
                d.conversationId(),
                d.eventType(),
                d.url(),
                d.status(),
                d.attemptCount(),
                d.nextAttemptAt(),
                d.lastStatusCode(),
                d.lastError(),
                d.redeliveryRequestedAt(),
                d.createdAt(),
                d.updatedAt(),
                attempts);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Keyset position: the last delivery of a page, newest first. Opaque to clients. */
    record Cursor(Instant createdAt, UUID id) {

        String encode() {
            String raw = createdAt + "," + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int comma = raw.indexOf(',');
                return new Cursor(Instant.parse(raw.substring(0, comma)), UUID.fromString(raw.substring(comma + 1)));
            } catch (RuntimeException e) {
                throw InvalidRequestException.field("cursor", "is not a cursor this API returned");
            }
        }
    }
}
