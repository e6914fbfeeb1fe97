package dev.agentry.api.conversation;

import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds {@code agentry.conversation.events} to the {@link ConversationProjection}, one event per transaction, in a
 * consumer group of its own; offsets commit after the batch.
 */
@Component
class ConversationEventListener {

    private static final Logger log = LoggerFactory.getLogger(ConversationEventListener.class);

    private final MessageCodec codec;
    private final ConversationProjection projection;
    private final ConversationProperties properties;
    private final Counter skipped;

    ConversationEventListener(
            MessageCodec codec,
            ConversationProjection projection,
            ConversationProperties properties,
            MeterRegistry meters) {
        this.codec = codec;
        this.projection = projection;
        this.properties = properties;
        this.skipped = Counter.builder("agentry.conversation.projector.skipped")
                .description("Conversation event records the projector could not decode or apply")
                .register(meters);
    }

    @KafkaListener(
            id = "conversation-projector",
            topics = Topics.CONVERSATION_EVENTS,
            groupId = "${agentry.api.conversations.projector-group:agentry-api-conversations}",
            autoStartup = "${agentry.api.projector-enabled:true}",
            batch = "true")
    void onEvents(List<ConsumerRecord<String, byte[]>> records) {
        RecordHandling.each(
                records,
                codec::decodeConversationEvent,
                properties.projectionAttempts(),
                skipped,
                log,
                projection::apply);
    }
}
