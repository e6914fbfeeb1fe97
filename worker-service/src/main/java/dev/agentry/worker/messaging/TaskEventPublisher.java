package dev.agentry.worker.messaging;

import dev.agentry.events.Envelope;
import dev.agentry.events.Message;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * The one way a worker sends what happened: on {@code agentry.task.events} task events of a run, pull-request
 * answers and workspace events alike, keyed by task id; on {@code agentry.conversation.events} the events of a
 * conversation turn, keyed by conversation. One aggregate's events stay in order on one partition, with the
 * envelope's id and type and the command's trace context in the headers.
 */
@Component
public class TaskEventPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;

    TaskEventPublisher(KafkaTemplate<String, byte[]> kafka, MessageCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /** Sends an event about a task, keyed by the task; the future completes when Kafka acknowledged it. */
    public CompletableFuture<SendResult<String, byte[]>> publish(
            UUID taskId, String tenantId, @Nullable String traceparent, Message event) {
        return publish(Topics.TASK_EVENTS, taskId, tenantId, traceparent, event);
    }

    /**
     * Sends an event about an aggregate (a task, a conversation) on the given events topic, keyed by the aggregate;
     * the future completes when Kafka acknowledged it.
     */
    public CompletableFuture<SendResult<String, byte[]>> publish(
            String topic, UUID aggregateId, String tenantId, @Nullable String traceparent, Message event) {
        return kafka.send(codec.record(topic, Envelope.of(aggregateId, tenantId, event), traceparent));
    }
}
