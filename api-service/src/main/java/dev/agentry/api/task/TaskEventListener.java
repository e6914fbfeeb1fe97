package dev.agentry.api.task;

import dev.agentry.api.support.DeadLetters;
import dev.agentry.api.support.PoisonRecords;
import dev.agentry.api.support.Text;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds task events to the projection a batch at a time; the offsets commit after the batch's transaction, and
 * the entries the batch appended are announced ({@link TaskLogAppended}) once it has committed. A record that is
 * not a task event this version understands is counted and set aside at once ({@link DeadLetters}): retrying it
 * cannot help. A batch the projection cannot store is applied again one event at a time, so that one event that
 * cannot be stored is retried a bounded number of times and set aside while the others go on ({@link
 * PoisonRecords}).
 */
@Component
class TaskEventListener {

    private final MessageCodec codec;
    private final TaskProjection projection;
    private final ApplicationEventPublisher announcements;
    private final Counter skipped;
    private final DeadLetters deadLetters;
    private final PoisonRecords poison;

    TaskEventListener(
            MessageCodec codec,
            TaskProjection projection,
            ApplicationEventPublisher announcements,
            DeadLetters deadLetters,
            PoisonRecords poison,
            MeterRegistry meters) {
        this.codec = codec;
        this.projection = projection;
        this.announcements = announcements;
        this.deadLetters = deadLetters;
        this.poison = poison;
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
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                byte[] value = record.value() == null ? new byte[0] : record.value();
                events.add(codec.decode(Text.withoutNulEscapes(value)));
                sources.add(record);
            } catch (UndecodableMessageException e) {
                skipped.increment();
                deadLetters.setAside(
                        DeadLetters.fromRecord("task-projector", record, "Undecodable: " + e.getMessage(), 1));
            }
        }
        if (events.isEmpty()) {
            return;
        }
        List<LoggedEvent> appended = new ArrayList<>();
        try {
            try {
                appended.addAll(projection.apply(events));
            } catch (RuntimeException batch) {
                poison.applyOneByOne(
                        sources, events, event -> appended.addAll(projection.apply(List.of(event))), batch);
            }
        } finally {
            if (!appended.isEmpty()) {
                announcements.publishEvent(new TaskLogAppended(List.copyOf(appended)));
            }
        }
    }
}
