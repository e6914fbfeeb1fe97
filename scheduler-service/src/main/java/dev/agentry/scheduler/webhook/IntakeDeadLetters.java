package dev.agentry.scheduler.webhook;

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
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the webhook intakes put a record they cannot handle, so that one tenant's bad record never stops or loops
 * delivery for everyone: the API's {@code dead_letters} table (V13), as the API's own stages do, counted as {@code
 * agentry_dead_letters_total{stage,topic}}. An operator lists and replays them through the API's {@code
 * /api/v1/admin/dead-letters}; a replay puts the bytes back on their topic, which every consumer of it sees again
 * (the intakes and the projector are idempotent).
 */
class IntakeDeadLetters {

    /** The stage of {@code agentry.task.events} records. */
    static final String TASK_EVENTS = "webhook-intake";
    /** The stage of {@code agentry.conversation.notices} records. */
    static final String CONVERSATION_NOTICES = "conversation-webhook-intake";

    private static final Logger log = LoggerFactory.getLogger(IntakeDeadLetters.class);
    private static final JsonMapper json = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final MessageCodec codec;
    private final MeterRegistry meters;

    IntakeDeadLetters(JdbcClient jdbc, MessageCodec codec, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.meters = meters;
    }

    /** Stores the record as a letter; a record set aside again (a batch redelivered after a crash) keeps its one. */
    void setAside(String stage, ConsumerRecord<?, ?> record, String reason, int attempts) {
        byte[] payload = record.value() instanceof byte[] bytes ? bytes : new byte[0];
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
        String bounded = reason.length() > 2000 ? reason.substring(0, 2000) : reason;
        long id = jdbc.sql("""
                insert into dead_letters (stage, tenant_id, topic, msg_key, payload, headers, reason, attempts, origin)
                values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?)
                on conflict (stage, origin) do update set attempts = dead_letters.attempts returning id""")
                .params(
                        stage,
                        tenantOf(payload),
                        record.topic(),
                        record.key() == null ? null : record.key().toString(),
                        payload,
                        json.writeValueAsString(headers),
                        bounded.replace('\u0000', '\uFFFD'),
                        attempts,
                        origin)
                .query(Long.class)
                .single();
        Counter.builder("agentry.dead_letters")
                .description("Records a shared stage set aside after bounded retries")
                .tag("stage", stage)
                .tag("topic", record.topic())
                .register(meters)
                .increment();
        log.warn(
                "Stage {} set aside {} ({} bytes) as dead letter {} after {} attempts: {}",
                stage,
                origin,
                payload.length,
                id,
                attempts,
                bounded);
    }

    /** The innermost cause says what was wrong with the record. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private @Nullable String tenantOf(byte[] payload) {
        try {
            return codec.decode(payload).tenantId();
        } catch (RuntimeException undecodable) {
            return null;
        }
    }
}
