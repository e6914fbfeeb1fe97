package dev.agentry.scheduler.schedule;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.schedule.ScheduleFired;
import dev.agentry.scheduler.schedule.ScheduleCursors.Fired;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes a batch of firings on {@link Topics#SCHEDULE_FIRINGS}, keyed by conversation id, all at once, and waits
 * for the broker to acknowledge them: only acknowledged firings may move their cursor on.
 */
class FiringPublisher {

    private static final Logger log = LoggerFactory.getLogger(FiringPublisher.class);

    private final KafkaTemplate<String, byte[]> kafka;
    private final MessageCodec codec;
    private final Clock clock;

    FiringPublisher(KafkaTemplate<String, byte[]> kafka, MessageCodec codec, Clock clock) {
        this.kafka = kafka;
        this.codec = codec;
        this.clock = clock;
    }

    /** The firings of {@code batch} that the broker acknowledged within {@code timeout}, in order. */
    List<Fired> publish(List<Fired> batch, Duration timeout) {
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(batch.size());
        for (Fired fired : batch) {
            sends.add(send(fired));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Fired> acknowledged = new ArrayList<>(batch.size());
        Throwable firstFailure = null;
        for (int i = 0; i < batch.size(); i++) {
            Throwable failure = failure(sends.get(i), deadline);
            if (failure == null) {
                acknowledged.add(batch.get(i));
            } else if (firstFailure == null) {
                firstFailure = failure;
            }
        }
        if (firstFailure != null) {
            log.warn(
                    "Kafka did not take {} of {} schedule firings; they are published again on the next pass.",
                    batch.size() - acknowledged.size(),
                    batch.size(),
                    firstFailure);
        }
        return acknowledged;
    }

    private CompletableFuture<SendResult<String, byte[]>> send(Fired fired) {
        try {
            return kafka.send(record(fired));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ProducerRecord<String, byte[]> record(Fired fired) {
        DueCursor due = fired.due();
        Firing firing = fired.firing();
        var envelope = new Envelope<>(
                ScheduleFired.envelopeId(due.conversationId(), firing.fireTime()),
                ScheduleFired.TYPE,
                due.conversationId(),
                due.tenantId(),
                clock.instant(),
                Envelope.SCHEMA_VERSION,
                new ScheduleFired(due.scheduleVersion(), firing.fireTime(), firing.catchUp()));
        return codec.record(Topics.SCHEDULE_FIRINGS, envelope, null);
    }

    private static @Nullable Throwable failure(CompletableFuture<?> send, long deadlineNanos) {
        try {
            send.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (TimeoutException e) {
            return e;
        }
    }
}
