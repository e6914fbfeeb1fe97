package dev.agentry.scheduler.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Every {@code sweep-interval}: turns redelivery requests (written by the API) into due deliveries, and dispatches
 * deliveries that are overdue with no trigger under way, which is what remains after a restart dropped an in-process
 * timer, a process died mid-attempt, or JobRunr could not be reached. Claims make a sweep that races a trigger harmless.
 */
class DeliverySweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliverySweeper.class);
    private static final int BATCH = 200;

    private final Deliveries deliveries;
    private final WebhookDispatcher dispatcher;
    private final WebhookProperties settings;
    private final Clock clock;
    private volatile ScheduledExecutorService executor;

    DeliverySweeper(Deliveries deliveries, WebhookDispatcher dispatcher, WebhookProperties settings, Clock clock) {
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.clock = clock;
    }

    void sweep() {
        try {
            Instant now = clock.instant();
            List<UUID> redeliveries = deliveries.takeRedeliveryRequests(now, BATCH);
            redeliveries.forEach(dispatcher::dispatch);
            if (!redeliveries.isEmpty()) {
                log.info("Redelivering {} webhook deliveries on request.", redeliveries.size());
            }
            deliveries.overdue(now.minus(settings.overdueAfter()), now, BATCH).forEach(dispatcher::dispatch);
        } catch (RuntimeException e) {
            log.warn("Webhook sweep failed; the next one retries.", e);
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("webhook-sweeper").factory());
        long millis = settings.sweepInterval().toMillis();
        executor.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
