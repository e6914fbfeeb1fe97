package dev.agentry.api.conversation;

import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.schedule.ScheduleFired;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds {@code agentry.schedule.firings} to {@link ScheduleFirings}, one firing per transaction. */
@Component
class ScheduleFiringListener {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFiringListener.class);

    private final MessageCodec codec;
    private final ScheduleFirings firings;
    private final ConversationProperties properties;
    private final Counter skipped;

    ScheduleFiringListener(
            MessageCodec codec, ScheduleFirings firings, ConversationProperties properties, MeterRegistry meters) {
        this.codec = codec;
        this.firings = firings;
        this.properties = properties;
        this.skipped = Counter.builder("agentry.conversation.firings.unprocessable")
                .description("Firing records the API could not decode or apply")
                .register(meters);
    }

    @KafkaListener(
            id = "schedule-firings",
            topics = Topics.SCHEDULE_FIRINGS,
            groupId = "${agentry.api.conversations.firings-group:agentry-api-schedule-firings}",
            autoStartup = "${agentry.api.projector-enabled:true}",
            batch = "true")
    void onFirings(List<ConsumerRecord<String, byte[]>> records) {
        RecordHandling.each(
                records,
                bytes -> codec.decodeAs(bytes, ScheduleFired.class, "a schedule firing"),
                properties.projectionAttempts(),
                skipped,
                log,
                firings::fire);
    }
}
