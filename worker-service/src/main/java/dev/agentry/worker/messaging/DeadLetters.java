package dev.agentry.worker.messaging;

import dev.agentry.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.stereotype.Component;

/**
 * Records a worker cannot decode go to {@code <topic>-dlt} (house rule: dead letters beside their topic), with
 * their key, value and headers as they came and spring-kafka's {@code kafka_dlt-*} headers saying where from and
 * why, and are counted in {@code agentry.worker.dead.letters{topic}}. The same recoverer serves the share consumers
 * of the command topics and the control topic's listener container.
 */
@Component
public class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    /** The topics the worker consumes, whose records can end here. */
    private static final List<String> TOPICS =
            List.of(Topics.TASK_COMMANDS, Topics.TASK_CONTROL, Topics.CONVERSATION_COMMANDS);

    private final DeadLetterPublishingRecoverer recoverer;
    private final MeterRegistry meters;

    DeadLetters(KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
        this.meters = meters;
        // Partition -1: the producer picks one, so a dead-letter topic needs no more partitions than it has.
        this.recoverer = new DeadLetterPublishingRecoverer(
                kafka, (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        recoverer.setFailIfSendResultIsError(true);
        recoverer.setWaitForSendResultTimeout(Duration.ofSeconds(15));
        // At zero from the start, so that the first dead letter of a topic shows in rate() and increase().
        for (String topic : TOPICS) {
            counter(topic);
        }
    }

    private Counter counter(String topic) {
        return meters.counter("agentry.worker.dead.letters", "topic", topic);
    }

    /**
     * Sends the record to its topic's dead-letter topic and waits until Kafka acknowledged it.
     *
     * @throws org.springframework.kafka.KafkaException when it could not be sent: the caller must not drop it
     */
    public void send(ConsumerRecord<?, ?> record, Exception cause) {
        recoverer.accept(record, cause);
        counter(record.topic()).increment();
        log.warn(
                "Record {}-{}@{} cannot be decoded and went to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                Topics.deadLetter(record.topic()),
                NestedExceptionUtils.getMostSpecificCause(cause).getMessage());
    }

    /** The same, as the recoverer of a spring-kafka error handler. */
    public ConsumerRecordRecoverer recoverer() {
        return this::send;
    }
}
