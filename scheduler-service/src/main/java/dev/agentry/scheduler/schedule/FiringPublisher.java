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
 * Publishes a batch of firings on {@link Topics#SCHEDULE_FIRINGS}, keyed by conversation id, each as soon as its
 * instant has come (a batch is claimed ahead of them), and waits for the broker to acknowledge them: only
 * acknowledged firings may move their cursor on. The records are encoded before the first instant, so what is left
 * at an instant is the producer's send.
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

    /**
     * The firings of {@code batch} (in the order of their instants) that the broker acknowledged within {@code timeout}
     * after the last send, in order. Firings whose instant {@code wait} gave up on are not sent: their cursors stay
     * where they are, for a later pass.
     */
    List<Fired> publish(List<Fired> batch, InstantWait wait, Duration timeout) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(batch.size());
        for (Fired fired : batch) {
            records.add(record(fired));
        }
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size() && wait.until(batch.get(i).firing().fireTime()); i++) {
            sends.add(send(records.get(i)));
        }
        if (sends.size() < batch.size()) {
            log.debug(
                    "{} of {} claimed firings were not due within the wait; a later pass fires them.",
                    batch.size() - sends.size(),
                    batch.size());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Fired> acknowledged = new ArrayList<>(batch.size());
        Throwable firstFailure = null;
        for (int i = 0; i < sends.size(); i++) {
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
                    sends.size() - acknowledged.size(),
                    sends.size(),
                    firstFailure);
        }
        return acknowledged;
    }

    private CompletableFuture<SendResult<String, byte[]>> send(ProducerRecord<String, byte[]> record) {
        try {
            return kafka.send(record);
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
