package dev.agentry.events;

import java.time.Instant;
import java.util.UUID;

/**
 * What every Kafka record carries around its payload. The aggregate id (the task id) is also the record key,
 * so all messages of one task stay in order on one partition. Trace context travels in the record headers
 * ({@code traceparent}), not here.
 *
 * @param id unique per message; consumers deduplicate on it
 * @param type the payload's stable wire name, such as {@code task.completed}
 * @param aggregateId the task the message is about
 * @param tenantId the tenant that owns the task
 * @param occurredAt when the producer observed the fact
 * @param schemaVersion the envelope and payload schema version, for consumers to branch on
 */
public record Envelope<T extends Message>(
        UUID id, String type, UUID aggregateId, String tenantId, Instant occurredAt, int schemaVersion, T payload) {

    public static final int SCHEMA_VERSION = 1;

    public Envelope {
        if (!type.equals(payload.type())) {
            throw new IllegalArgumentException("Envelope type " + type + " does not match payload " + payload.type());
        }
    }

    public static <T extends Message> Envelope<T> of(UUID aggregateId, String tenantId, T payload) {
        return new Envelope<>(
                UUID.randomUUID(), payload.type(), aggregateId, tenantId, Instant.now(), SCHEMA_VERSION, payload);
    }

    public String key() {
        return aggregateId.toString();
    }
}
