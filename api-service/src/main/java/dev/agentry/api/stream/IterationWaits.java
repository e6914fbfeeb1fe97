package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskLog;
import dev.agentry.api.tenant.TenantId;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Waits, bounded, for the entry that ends one iteration of a task, for an HTTP request that answers with the
 * outcome when it comes in time. It subscribes to this instance's live feed before it looks at the stored log, so
 * an end projected by any instance in between is not missed; the wait holds no database connection.
 */
@Component
public class IterationWaits {

    private static final long POLL_MILLIS = 200;

    private final StreamHub hub;
    private final TaskLog taskLog;

    IterationWaits(StreamHub hub, TaskLog taskLog) {
        this.hub = hub;
        this.taskLog = taskLog;
    }

    /** The entry that ended {@code iteration} (looking after {@code after}), or empty when {@code bound} passed. */
    public Optional<LoggedEvent> awaitEnd(TenantId tenant, UUID taskId, int iteration, long after, Duration bound)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        StreamHub.Subscription subscription = hub.subscribe(taskId);
        try {
            Optional<LoggedEvent> stored = stored(tenant, taskId, iteration, after);
            if (stored.isPresent()) {
                return stored;
            }
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                if (subscription.overflowed()) {
                    // Missed live entries are in the database; a fresh look there answers as well.
                    return awaitStored(tenant, taskId, iteration, after, deadline);
                }
                LoggedEvent entry = subscription.poll(Math.min(left / 1_000_000 + 1, POLL_MILLIS * 5));
                if (entry != null && endsIteration(entry, iteration)) {
                    return Optional.of(entry);
                }
            }
        } finally {
            hub.unsubscribe(subscription);
        }
    }

    private Optional<LoggedEvent> awaitStored(TenantId tenant, UUID taskId, int iteration, long after, long deadline)
            throws InterruptedException {
        while (System.nanoTime() < deadline) {
            Optional<LoggedEvent> stored = stored(tenant, taskId, iteration, after);
            if (stored.isPresent()) {
                return stored;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Optional.empty();
    }

    private Optional<LoggedEvent> stored(TenantId tenant, UUID taskId, int iteration, long after) {
        return taskLog.after(tenant, taskId, after).stream()
                .filter(entry -> endsIteration(entry, iteration))
                .findFirst();
    }

    /** Whether the entry is the result that ends this iteration. */
    public static boolean endsIteration(LoggedEvent entry, int iteration) {
        return entry.ends() && entry.data().path("iteration").asInt(-1) == iteration;
    }
}
