package dev.agentry.worker.execution;

import dev.agentry.worker.config.WorkerProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The task iterations this worker has heard were cancelled, remembered for {@code cancellation-memory} (and at most
 * {@value #MAX_ENTRIES} of them), so that a command acquired after its cancellation is never started. Keyed by task
 * and iteration: a task cancelled in iteration 1 can still be instructed to run iteration 2.
 */
@Component
public class Cancellations {

    static final int MAX_ENTRIES = 100_000;

    private final Map<Key, Instant> cancelled = new ConcurrentHashMap<>();
    private final WorkerProperties properties;
    private final Clock clock = Clock.systemUTC();

    Cancellations(WorkerProperties properties) {
        this.properties = properties;
    }

    public void remember(UUID taskId, int iteration) {
        Instant now = clock.instant();
        if (cancelled.size() >= MAX_ENTRIES) {
            cancelled.values().removeIf(expiry -> expiry.isBefore(now));
            if (cancelled.size() >= MAX_ENTRIES) {
                // Still full of live entries: forget the oldest rather than grow without bound.
                cancelled.entrySet().stream()
                        .min(Map.Entry.comparingByValue())
                        .ifPresent(oldest -> cancelled.remove(oldest.getKey()));
            }
        }
        cancelled.put(new Key(taskId, iteration), now.plus(properties.cancellationMemory()));
    }

    public boolean isCancelled(UUID taskId, int iteration) {
        Instant expiry = cancelled.get(new Key(taskId, iteration));
        return expiry != null && expiry.isAfter(clock.instant());
    }

    private record Key(UUID taskId, int iteration) {}
}
