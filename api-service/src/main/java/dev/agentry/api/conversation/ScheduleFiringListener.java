package dev.agentry.api.conversation;

import dev.agentry.api.support.DeadLetters;
import dev.agentry.api.support.RecordHandling;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.schedule.ScheduleFired;
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
 * Feeds {@code agentry.schedule.firings} to {@link ScheduleFirings}, one firing per transaction. A record that does
 * not decode, or that still fails after {@code projection-attempts} tries, is set aside as a dead letter (stage
 * {@code schedule-firings}) and the consumer goes on ({@link RecordHandling}).
 */
@Component
class ScheduleFiringListener {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFiringListener.class);

    private final MessageCodec codec;
    private final ScheduleFirings firings;
    private final RecordHandling handling;

    ScheduleFiringListener(
            MessageCodec codec,
            ScheduleFirings firings,
            ConversationProperties properties,
            DeadLetters deadLetters,
            MeterRegistry meters) {
        this.codec = codec;
        this.firings = firings;
        Counter skipped = Counter.builder("agentry.conversation.firings.unprocessable")
                .description("Firing records the API could not decode or apply, set aside")
                .register(meters);
        this.handling = new RecordHandling(
                "schedule-firings", properties.projectionAttempts(), Duration.ofMillis(200), skipped, log, deadLetters);
    }

    @KafkaListener(
            id = "schedule-firings",
            topics = Topics.SCHEDULE_FIRINGS,
            groupId = "${agentry.api.conversations.firings-group:agentry-api-schedule-firings}",
            autoStartup = "${agentry.api.projector-enabled:true}",
            batch = "true")
    void onFirings(List<ConsumerRecord<String, byte[]>> records) {
        handling.each(records, bytes -> codec.decodeAs(bytes, ScheduleFired.class, "a schedule firing"), firings::fire);
    }
}
