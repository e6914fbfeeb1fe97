package dev.agentry.api.support;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;

/**
 * Work that runs in passes on its own daemon thread for as long as the application runs, such as relaying the
 * outbox or admitting waiting tasks. A subclass says what one pass does; this class decides when the next one runs:
 *
 * <ul>
 *   <li>at once, while a pass reports work left over (a full batch);
 *   <li>otherwise after the poll interval, or sooner when {@link #wakeUp()} is called (after a commit that left
 *       work behind); wake-ups that arrive during a pass or a wait all count as one;
 *   <li>after a failed pass, as its {@link Retry} says: at the next poll like any other pass, or after a pause that
 *       grows while the passes keep failing.
 * </ul>
 *
 * <p>A pass that throws never ends the loop. The subclass hears once when passes start failing ({@link
 * #onFailing}, with that first failure) and once when one succeeds again ({@link #onRecovery}), so an outage makes
 * two log lines, not one per attempt.
 *
 * <p>{@link #stop()} lets the pass in flight finish rather than interrupting it (a pass is typically one database
 * transaction, and one cut off midway only has to be done again), and waits for it at most the stop timeout; a
 * backoff pause under way is not cut short either. The thread is a daemon, so a pass still busy after that does not
 * keep the JVM alive.
 *
 * <p>A thread of its own rather than a {@code TaskScheduler} job: a scheduler fires at set times, whereas a commit
 * must be able to bring the next pass forward, and a backoff must be able to push it back.
 */
public abstract class BackgroundLoop implements SmartLifecycle {

    private final String threadName;
    private final Duration pollInterval;
    private final Retry retry;
    private final Duration stopTimeout;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private volatile @Nullable Thread thread;

    /**
     * @param threadName the name of the loop's thread, as it appears in thread dumps and log lines
     * @param pollInterval how long the loop waits for a wake-up after a pass that left no work over
     * @param retry what follows a failed pass
     * @param stopTimeout how long {@link #stop()} waits for the pass in flight
     */
    protected BackgroundLoop(String threadName, Duration pollInterval, Retry retry, Duration stopTimeout) {
        this.threadName = threadName;
        this.pollInterval = pollInterval;
        this.retry = retry;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Does one pass of the work.
     *
     * @return whether work is left over (a full batch), so that the next pass should start at once
     */
    protected abstract boolean runPass();

    /** Called when a pass fails after one that succeeded (or as the first pass); later failures are silent. */
    protected abstract void onFailing(RuntimeException failure);

    /** Called when a pass succeeds after one or more that failed. */
    protected abstract void onRecovery();

    /**
     * Asks for a pass soon, without waiting out the poll interval; safe to call from any thread, at any time.
     *
     * <p>Not final: callers may hold a lazy proxy of a subclass, and a final method would run on the proxy's own,
     * empty fields instead of reaching the real loop.
     */
    public void wakeUp() {
        wakeUps.release();
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name(threadName).daemon().start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        wakeUp();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(stopTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        boolean failing = false;
        Duration backoff = Duration.ZERO;
        try {
            while (running) {
                boolean workLeft;
                try {
                    workLeft = runPass();
                    if (failing) {
                        onRecovery();
                        failing = false;
                    }
                    backoff = Duration.ZERO;
                } catch (RuntimeException e) {
                    if (!failing) {
                        onFailing(e);
                        failing = true;
                    }
                    if (retry instanceof Retry.WithBackoff policy) {
                        backoff = policy.after(backoff);
                        Thread.sleep(backoff);
                        continue;
                    }
                    workLeft = false;
                }
                if (!workLeft) {
                    wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What follows a failed pass. */
    public sealed interface Retry {

        /**
         * The next pass comes as after any pass with no work left over: after the poll interval, or sooner on a
         * wake-up.
         */
        static Retry atNextPoll() {
            return new AtNextPoll();
        }

        /**
         * The next pass comes after a pause of {@code first}, doubled after every further failure up to {@code
         * max}. Wake-ups do not cut the pause short, so that the commits arriving during an outage do not turn
         * into a retry storm.
         */
        static Retry withBackoff(Duration first, Duration max) {
            return new WithBackoff(first, max);
        }

        /** See {@link #atNextPoll()}. */
        record AtNextPoll() implements Retry {}

        /** See {@link #withBackoff(Duration, Duration)}. */
        record WithBackoff(Duration first, Duration max) implements Retry {

            /** The pause after a failure, given the pause before it ({@link Duration#ZERO} after a success). */
            public Duration after(Duration previous) {
                if (previous.isZero()) {
                    return first;
                }
                Duration doubled = previous.multipliedBy(2);
                return doubled.compareTo(max) <= 0 ? doubled : max;
            }
        }
    }
}
