package dev.agentry.worker.conversation;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.RunTurn;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Sends a turn's events on {@code agentry.conversation.events}, keyed by the conversation so one conversation's
 * events stay in order on one partition, with the envelope's id and type and the command's trace context in the
 * headers.
 */
@Component
class TurnEvents {

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;

    TurnEvents(KafkaTemplate<String, byte[]> kafka, MessageCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    CompletableFuture<SendResult<String, byte[]>> publish(
            Envelope<RunTurn> command, @Nullable String traceparent, ConversationEvent event) {
        Envelope<ConversationEvent> envelope = Envelope.of(command.aggregateId(), command.tenantId(), event);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.CONVERSATION_EVENTS, envelope.key(), codec.encode(envelope));
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
