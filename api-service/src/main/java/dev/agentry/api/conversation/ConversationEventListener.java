package dev.agentry.api.conversation;

import dev.agentry.api.support.DeadLetters;
import dev.agentry.api.support.RecordHandling;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds {@code agentry.conversation.events} to the {@link ConversationProjection}, one event per transaction, in a
 * consumer group of its own; offsets commit after the batch. A record that does not decode, or that still fails after
 * {@code projection-attempts} tries, is set aside as a dead letter (stage {@code conversation-projector}) and the
 * projector goes on ({@link RecordHandling}).
 */
@Component
class ConversationEventListener {

    private static final Logger log = LoggerFactory.getLogger(ConversationEventListener.class);

    private final MessageCodec codec;
    private final ConversationProjection projection;
    private final RecordHandling handling;

    ConversationEventListener(
            MessageCodec codec,
            ConversationProjection projection,
            ConversationProperties properties,
            DeadLetters deadLetters,
            MeterRegistry meters) {
        this.codec = codec;
        this.projection = projection;
        Counter skipped = Counter.builder("agentry.conversation.projector.skipped")
                .description("Conversation event records the projector could not decode or apply, set aside")
                .register(meters);
        this.handling = new RecordHandling(
                "conversation-projector",
                properties.projectionAttempts(),
                Duration.ofMillis(200),
                skipped,
                log,
                deadLetters);
    }

    @KafkaListener(
            id = "conversation-projector",
            topics = Topics.CONVERSATION_EVENTS,
            groupId = "${agentry.api.conversations.projector-group:agentry-api-conversations}",
            autoStartup = "${agentry.api.projector-enabled:true}",
            batch = "true")
    void onEvents(List<ConsumerRecord<String, byte[]>> records) {
        handling.each(records, codec::decodeConversationEvent, projection::apply);
    }
}
