package dev.agentry.api.notification;

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
 * This instance's open notification streams, by user. Dispatch never blocks: each stream has a bounded queue of
 * notification ids, and a stream whose queue is full is told to read the database instead, so a slow client loses
 * nothing and holds up no one.
 */
@Component
class NotificationHub {

    /** Enough for a burst; a client further behind catches up from the table. */
    private static final int QUEUE = 256;

    private final Map<String, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    NotificationHub(MeterRegistry meters) {
        Gauge.builder("agentry.sse.notification.connections", open, AtomicInteger::get)
                .description("Open notification streams on this instance")
                .register(meters);
    }

    Subscription subscribe(String tenantId, String userId) {
        Subscription subscription = new Subscription(key(tenantId, userId));
        subscribers
                .computeIfAbsent(subscription.key, k -> ConcurrentHashMap.newKeySet())
                .add(subscription);
        open.incrementAndGet();
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        subscribers.computeIfPresent(subscription.key, (k, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
        open.decrementAndGet();
    }

    void dispatch(String tenantId, String userId, UUID notificationId) {
        Set<Subscription> set = subscribers.get(key(tenantId, userId));
        if (set != null) {
            set.forEach(subscription -> subscription.offer(notificationId));
        }
    }

    /** Every stream reads the table for what it has not sent: signals may have been lost. */
    void resyncAll() {
        subscribers.values().forEach(set -> set.forEach(Subscription::resync));
    }

    private static String key(String tenantId, String userId) {
        return tenantId + '\n' + userId;
    }

    static final class Subscription {

        private final String key;
        private final BlockingQueue<UUID> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean resync;

        private Subscription(String key) {
            this.key = key;
        }

        private void offer(UUID id) {
            if (!queue.offer(id)) {
                resync();
            }
        }

        private void resync() {
            resync = true;
            queue.clear();
        }

        /** Whether the stream must read the table (and clears the request). */
        boolean takeResync() {
            boolean asked = resync;
            resync = false;
            return asked;
        }

        @Nullable
        UUID poll(long timeoutMillis) throws InterruptedException {
            return queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }
}
