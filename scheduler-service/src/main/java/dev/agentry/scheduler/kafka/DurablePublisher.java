package dev.agentry.scheduler.kafka;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes one envelope and waits for the broker's acknowledgement, so a caller knows the message is durable
 * before it moves on (the reaper records a verdict only once its event is on {@link Topics#TASK_EVENTS}).
 */
@Component
public class DurablePublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;

    DurablePublisher(KafkaTemplate<String, byte[]> kafka, MessageCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    /**
     * @throws PublishFailedException when the broker did not acknowledge within {@code timeout}
     */
    public void publish(String topic, Envelope<?> envelope, Duration timeout) {
        try {
            kafka.send(codec.record(topic, envelope, null)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
                    "Could not publish " + envelope.type() + " " + envelope.id() + " for " + envelope.aggregateId()
                            + ": " + cause.getMessage(),
                    cause);
        }
    }
}
