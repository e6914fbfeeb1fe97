package dev.agentry.scheduler.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The due-schedule loop, on threads of its own: fire what is due, sync the cursors with the schedules (at most once
 * per poll interval), then wait until the earliest cursor is due within the lookahead (when its batch is claimed
 * and prepared, to be sent at the instant) or the poll interval has passed, whichever comes first. A loop of its own rather than a JobRunr recurring job because
 * JobRunr's background server polls at most every 5 s, and a firing must reach Kafka within a second of its instant.
 * A failing pass (database or Kafka away) is logged and retried after the poll interval; it never ends the loop.
 */
class ScheduleFiringLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFiringLoop.class);
    /** The shortest wait, so cursors another scheduler holds locked are not polled in a spin. */
    private static final Duration MIN_WAIT = Duration.ofMillis(5);
    /** The longest pause after failed passes in a row (database or Kafka away). */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ScheduleFirer firer;
    private final ScheduleCursors cursors;
    private final Duration pollInterval;
    private final Duration lookahead;
    private final int threads;
    private final Clock clock;
    private final Object wakeUp = new Object();
    private volatile boolean running;
    private volatile List<Thread> workers = List.of();

    ScheduleFiringLoop(
            ScheduleFirer firer,
            ScheduleCursors cursors,
            Duration pollInterval,
            Duration lookahead,
            int threads,
            Clock clock) {
        this.firer = firer;
        this.cursors = cursors;
        this.pollInterval = pollInterval;
        this.lookahead = lookahead;
        this.threads = threads;
        this.clock = clock;
    }

    /**
     * Starts {@code threads} loops. They claim batches side by side (SKIP LOCKED keeps them apart), so one batch's
     * database work overlaps another's wait for Kafka; only the first one syncs.
     */
    @Override
    public void start() {
        running = true;
        List<Thread> started = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            boolean syncs = i == 0;
            started.add(
                    Thread.ofPlatform().name("schedule-firing-" + i).daemon().start(() -> run(syncs)));
        }
        workers = List.copyOf(started);
        log.info(
                "The due-schedule loop started on {} threads, looking at least every {} ms.",
                threads,
                pollInterval.toMillis());
    }

    @Override
    public void stop() {
        running = false;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        for (Thread stopping : workers) {
            try {
                stopping.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers = List.of();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run(boolean syncs) {
        int failures = 0;
        long lastSync = System.nanoTime() - pollInterval.toNanos();
        while (running) {
            Duration wait;
            try {
                // Due firings first: the sync can wait for them, not they for the sync.
                int handled = firer.fireDue();
                if (syncs && System.nanoTime() - lastSync >= pollInterval.toNanos()) {
                    firer.sync();
                    lastSync = System.nanoTime();
                    handled += firer.fireDue();
                }
                wait = handled > 0 ? MIN_WAIT : untilEarliestDue();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                wait = backoff(failures);
                log.warn(
                        "Pass {} in a row of the due-schedule loop failed; the next one is in {} ms.",
                        failures,
                        wait.toMillis(),
                        e);
            }
            pause(wait);
        }
    }

    private Duration backoff(int failures) {
        Duration longest = pollInterval.compareTo(MAX_BACKOFF) > 0 ? pollInterval : MAX_BACKOFF;
        Duration wait = pollInterval.multipliedBy(1L << Math.min(failures, 10));
        return wait.compareTo(longest) > 0 ? longest : wait;
    }

    private Duration untilEarliestDue() {
        Instant now = clock.instant();
        Duration wait = cursors.earliestDue()
                .map(due -> Duration.between(now, due.minus(lookahead)))
                .orElse(pollInterval);
        if (wait.compareTo(MIN_WAIT) < 0) {
            return MIN_WAIT;
        }
        return wait.compareTo(pollInterval) > 0 ? pollInterval : wait;
    }

    private void pause(Duration wait) {
        synchronized (wakeUp) {
            if (!running) {
                return;
            }
            try {
                // Rounded up, so the loop does not wake a moment before the instant it waits for.
                wakeUp.wait(wait.toMillis() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
