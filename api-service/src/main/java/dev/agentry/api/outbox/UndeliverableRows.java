package dev.agentry.api.outbox;

import dev.agentry.api.support.DeadLetters;
import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Message;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskFailed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * An outbox row Kafka refused for good is set aside as a dead letter, and when it carried a task's run, that
 * iteration fails with the reason through the normal event path ({@code task.failed} on the task events topic, from
 * the outbox like any other event), so the projector, the stream and the webhooks all see it.
 */
@Component
class UndeliverableRows {

    private static final Logger log = LoggerFactory.getLogger(UndeliverableRows.class);

    private final DeadLetters deadLetters;
    private final OutboxTable table;
    private final MessageCodec codec;

    UndeliverableRows(DeadLetters deadLetters, OutboxTable table, MessageCodec codec) {
        this.deadLetters = deadLetters;
        this.table = table;
        this.codec = codec;
    }

    /** Within the relay's transaction: the caller deletes the row from the outbox. */
    @Transactional(propagation = Propagation.MANDATORY)
    void setAside(OutboxRow row, Throwable refusal, int attempts) {
        String reason = refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
        long letter = deadLetters.setAside(new DeadLetters.Letter(
                "outbox",
                row.topic(),
                row.key(),
                row.payload(),
                row.headers(),
                reason,
                attempts,
                "outbox row " + row.id()));
        Envelope<?> envelope;
        try {
            envelope = codec.decode(row.payload());
        } catch (RuntimeException undecodable) {
            return;
        }
        Integer iteration = switch (envelope.payload()) {
            case RunTask run -> run.iteration();
            case RunIteration run -> run.run().iteration();
            default -> null;
        };
        if (iteration == null) {
            return;
        }
        TaskFailed failed = new TaskFailed(
                iteration,
                "The task could not be dispatched: Kafka refused its command (" + reason + "). It was set aside as"
                        + " dead letter " + letter + ".",
                TaskFailed.FailureReason.INVALID,
                null,
                null);
        Envelope<Message> event = new Envelope<>(
                UUID.nameUUIDFromBytes(("undeliverable:" + row.id()).getBytes(StandardCharsets.UTF_8)),
                failed.type(),
                envelope.aggregateId(),
                envelope.tenantId(),
                Instant.now(),
                Envelope.SCHEMA_VERSION,
                failed);
        Map<String, String> headers = new LinkedHashMap<>(row.headers());
        headers.put(Headers.MESSAGE_ID, event.id().toString());
        headers.put(Headers.MESSAGE_TYPE, event.type());
        table.insert(Topics.TASK_EVENTS, event.key(), codec.encode(event), headers);
        log.warn(
                "Task {} of tenant {} fails in iteration {}: its command was refused by Kafka.",
                envelope.aggregateId(),
                envelope.tenantId(),
                iteration);
    }
}
