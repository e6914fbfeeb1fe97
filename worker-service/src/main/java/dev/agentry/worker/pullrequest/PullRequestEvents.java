package dev.agentry.worker.pullrequest;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.TaskEvent;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** Sends the answer to {@code task.create_pr} on {@code agentry.task.events}, keyed by task id. */
@Component
class PullRequestEvents {

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;

    PullRequestEvents(KafkaTemplate<String, byte[]> kafka, MessageCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    CompletableFuture<?> publish(UUID taskId, String tenantId, @Nullable String traceparent, TaskEvent event) {
        Envelope<TaskEvent> envelope = Envelope.of(taskId, tenantId, event);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.TASK_EVENTS, envelope.key(), codec.encode(envelope));
        record.headers().add(Headers.MESSAGE_ID, utf8(envelope.id().toString()));
        record.headers().add(Headers.MESSAGE_TYPE, utf8(envelope.type()));
        if (traceparent != null) {
            record.headers().add(Headers.TRACEPARENT, utf8(traceparent));
        }
        return kafka.send(record);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
