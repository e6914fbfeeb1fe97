package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * This instance's live subscribers, by task. Dispatch never blocks: each subscription has a bounded queue, and a
 * subscriber whose queue is full is marked overflowed rather than slowing the feed or anyone else.
 */
@Component
class StreamHub {

    private final Map<UUID, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final StreamProperties properties;

    StreamHub(StreamProperties properties, MeterRegistry meters) {
        this.properties = properties;
        Gauge.builder("agentry.sse.connections", open, AtomicInteger::get)
                .description("Open task event streams on this instance")
                .register(meters);
    }

    Subscription subscribe(UUID taskId) {
        Subscription subscription = new Subscription(taskId, properties.buffer());
        subscribers.computeIfAbsent(taskId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
        open.incrementAndGet();
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        subscribers.computeIfPresent(subscription.taskId, (id, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
        open.decrementAndGet();
    }

    void dispatch(LoggedEvent event) {
        Set<Subscription> set = subscribers.get(event.taskId());
        if (set != null) {
            set.forEach(subscription -> subscription.offer(event));
        }
    }

    int connections() {
        return open.get();
    }

    static final class Subscription {

        private final UUID taskId;
        private final BlockingQueue<LoggedEvent> queue;
        private volatile boolean overflowed;

        private Subscription(UUID taskId, int capacity) {
            this.taskId = taskId;
            this.queue = new ArrayBlockingQueue<>(capacity);
        }

        private void offer(LoggedEvent event) {
            if (!queue.offer(event)) {
                overflowed = true;
            }
        }

        @Nullable
        LoggedEvent poll(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }

        boolean overflowed() {
            return overflowed;
        }
    }
}
