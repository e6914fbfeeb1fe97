package dev.agentry.scheduler.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A delivery to create, about a task or (with {@code taskId} null) a conversation; {@code taskCreatedAt} (for a
 * conversation: when its event happened) decides whether a 410 Gone of its endpoint applies to it.
 */
record NewDelivery(
        UUID id,
        String tenantId,
        @Nullable UUID taskId,
        @Nullable UUID conversationId,
        UUID eventId,
        String eventType,
        String url,
        byte[] body,
        @Nullable String traceId,
        Instant taskCreatedAt,
        @Nullable String terminalKey) {

    /** A delivery about a task. */
    NewDelivery(
            UUID id,
            String tenantId,
            UUID taskId,
            UUID eventId,
            String eventType,
            String url,
            byte[] body,
            @Nullable String traceId,
            Instant taskCreatedAt,
            @Nullable String terminalKey) {
        this(id, tenantId, taskId, null, eventId, eventType, url, body, traceId, taskCreatedAt, terminalKey);
    }

    /** The task or conversation it is about. */
    UUID subjectId() {
        return taskId != null ? taskId : Objects.requireNonNull(conversationId);
    }

    /** Its first attempt, held by the process that created it {@code createdAt}. */
    Deliveries.Claimed firstAttempt(Instant createdAt) {
        return new Deliveries.Claimed(
                id, tenantId, subjectId(), eventType, url, body, traceId, 1, false, createdAt, null);
    }
}
