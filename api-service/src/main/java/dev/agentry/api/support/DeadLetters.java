package dev.agentry.api.support;

import dev.agentry.events.codec.MessageCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a shared stage puts a record it could not handle after bounded retries, so that one tenant's bad record
 * never stops or loops the stage for everyone: the {@code dead_letters} table, counted as {@code
 * agentry_dead_letters_total{stage,topic}}. An operator lists and replays them through {@code
 * /api/v1/admin/dead-letters}.
 */
@Component
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final MessageCodec codec;
    private final MeterRegistry meters;

    DeadLetters(JdbcClient jdbc, JsonMapper json, MessageCodec codec, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.json = json;
        this.codec = codec;
        this.meters = meters;
    }

    /**
     * A record set aside.
     *
     * @param stage the stage that gave up on it ({@code outbox}, {@code task-projector}, {@code consumer},
     *     {@code conversation-projector}, {@code schedule-firings})
     * @param origin where it came from: an outbox row id, or {@code topic-partition@offset}
     */
    public record Letter(
            String stage,
            String topic,
            @Nullable String key,
            byte[] payload,
            Map<String, String> headers,
            String reason,
            int attempts,
            String origin) {}

    /**
     * Stores the letter (within the caller's transaction, if any) and answers its id. A record set aside again (a
     * batch redelivered after a crash) keeps its one letter.
     */
    public long setAside(Letter letter) {
        long id = jdbc.sql("""
                insert into dead_letters (stage, tenant_id, topic, msg_key, payload, headers, reason, attempts, origin)
                values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?)
                on conflict (stage, origin) do update set attempts = dead_letters.attempts returning id""")
                .params(
                        letter.stage(),
                        tenantOf(letter.payload()),
                        letter.topic(),
                        letter.key(),
                        letter.payload(),
                        json.writeValueAsString(letter.headers()),
                        Text.bounded(letter.reason(), 2000),
                        letter.attempts(),
                        letter.origin())
                .query(Long.class)
                .single();
        Counter.builder("agentry.dead_letters")
                .description("Records a shared stage set aside after bounded retries")
                .tag("stage", letter.stage())
                .tag("topic", letter.topic())
                .register(meters)
                .increment();
        log.warn(
                "Stage {} set aside {} ({} bytes, topic {}) as dead letter {} after {} attempts: {}",
                letter.stage(),
                letter.origin(),
                letter.payload().length,
                letter.topic(),
                id,
                letter.attempts(),
                letter.reason());
        return id;
    }

    /** A letter for a Kafka record a consumer could not handle. */
    public static Letter fromRecord(String stage, ConsumerRecord<String, byte[]> record, String reason, int attempts) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return new Letter(
                stage,
                record.topic(),
                record.key(),
                value,
                headers,
                reason,
                attempts,
                record.topic() + "-" + record.partition() + "@" + record.offset());
    }

    private @Nullable String tenantOf(byte[] payload) {
        try {
            return codec.decode(payload).tenantId();
        } catch (RuntimeException undecodable) {
            return null;
        }
    }
}
