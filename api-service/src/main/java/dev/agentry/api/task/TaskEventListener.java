package dev.agentry.api.task;

import dev.agentry.api.support.Records;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds task events to the projection a batch at a time; the offsets commit after the batch's transaction, and
 * the entries the batch appended are announced ({@link TaskLogAppended}) once it has committed. A record that is
 * not a task event this version understands is counted and skipped: retrying it cannot help.
 */
@Component
class TaskEventListener {

    private static final Logger log = LoggerFactory.getLogger(TaskEventListener.class);

    private final MessageCodec codec;
    private final TaskProjection projection;
    private final ApplicationEventPublisher announcements;
    private final Counter skipped;

    TaskEventListener(
            MessageCodec codec,
            TaskProjection projection,
            ApplicationEventPublisher announcements,
            MeterRegistry meters) {
        this.codec = codec;
        this.projection = projection;
        this.announcements = announcements;
        this.skipped = Counter.builder("agentry.projector.skipped")
                .description("Event records the projector could not decode")
                .register(meters);
    }

    @KafkaListener(
            id = "task-projector",
            topics = Topics.TASK_EVENTS,
            groupId = "${agentry.api.projector-group:agentry-api-projector}",
            autoStartup = "${agentry.api.projector-enabled:true}",
            batch = "true")
    void onEvents(List<ConsumerRecord<String, byte[]>> records) {
        List<Envelope<?>> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            Envelope<?> event = Records.decodeOrSkip(record, codec::decode, skipped, log);
            if (event != null) {
                events.add(event);
            }
        }
        if (!events.isEmpty()) {
            List<LoggedEvent> appended = projection.apply(events);
            if (!appended.isEmpty()) {
                announcements.publishEvent(new TaskLogAppended(appended));
            }
        }
    }
}
