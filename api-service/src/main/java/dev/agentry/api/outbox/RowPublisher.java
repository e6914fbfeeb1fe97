package dev.agentry.api.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Sends a batch of outbox rows and says, per row, what became of it. Rows with different keys go out side by side;
 * rows with the same key (one task's messages) go one after the other, each only once the one before is
 * acknowledged, so a row that fails never lets a later row of its key overtake it: that row and the ones behind it
 * are {@link SendOutcome.Held} and try again, in order, in a later pass.
 */
final class RowPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final Duration timeout;
    // Sending the next row of a key from Kafka's callback thread could block that thread on metadata it alone fetches.
    private final ExecutorService chains = Executors.newVirtualThreadPerTaskExecutor();

    RowPublisher(KafkaTemplate<String, byte[]> kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    Map<Long, SendOutcome> publish(List<OutboxRow> rows) {
        Map<Long, SendOutcome> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        Map<String, List<OutboxRow>> byKey = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
        }
        List<CompletableFuture<?>> all = new ArrayList<>(byKey.size());
        for (List<OutboxRow> keyed : byKey.values()) {
            CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
            for (OutboxRow row : keyed) {
                chain = chain.thenComposeAsync(
                        previousSent -> previousSent && !abandoned.get()
                                ? send(row, outcomes)
                                : CompletableFuture.completedFuture(false),
                        chains);
            }
            all.add(chain);
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandoned.set(true);
        } catch (InterruptedException e) {
            abandoned.set(true);
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("A send chain failed unexpectedly", e);
        }
        Map<Long, SendOutcome> result = new LinkedHashMap<>();
        for (OutboxRow row : rows) {
            result.put(row.id(), outcomes.getOrDefault(row.id(), new SendOutcome.Held()));
        }
        return result;
    }

    /** Completes with whether the row was acknowledged; never exceptionally. */
    private CompletableFuture<Boolean> send(OutboxRow row, Map<Long, SendOutcome> outcomes) {
        try {
            return kafka.send(record(row)).handle((ack, failure) -> {
                outcomes.put(row.id(), failure == null ? new SendOutcome.Sent() : SendOutcome.ofFailure(failure));
                return failure == null;
            });
        } catch (RuntimeException failure) {
            outcomes.put(row.id(), SendOutcome.ofFailure(failure));
            return CompletableFuture.completedFuture(false);
        }
    }

    private static ProducerRecord<String, byte[]> record(OutboxRow row) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
        row.headers().forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
