package dev.agentry.scheduler.kafka;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.TaskEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes task events on {@link Topics#TASK_EVENTS}, keyed by task id, and waits for the broker's acknowledgement
 * so a caller knows the event is durable before it moves on.
 */
@Component
public class TaskEventPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;

    TaskEventPublisher(KafkaTemplate<String, byte[]> kafka, MessageCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /**
     * @throws PublishFailedException when the broker did not acknowledge within {@code timeout}
     */
    public void publish(Envelope<? extends TaskEvent> envelope, Duration timeout) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.TASK_EVENTS, envelope.key(), codec.encode(envelope));
        record.headers()
                .add(Headers.MESSAGE_ID, envelope.id().toString().getBytes(StandardCharsets.UTF_8))
                .add(Headers.MESSAGE_TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
        try {
            kafka.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException(envelope, e);
        } catch (ExecutionException e) {
            throw new PublishFailedException(envelope, e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException(envelope, e);
        }
    }

    /** Kafka did not take the event; publishing it again is safe because consumers deduplicate on its id. */
    public static final class PublishFailedException extends RuntimeException {

        PublishFailedException(Envelope<?> envelope, Throwable cause) {
            super(
                    "Could not publish " + envelope.type() + " " + envelope.id() + " for task " + envelope.aggregateId()
                            + ": " + cause.getMessage(),
                    cause);
        }
    }
}
