package dev.agentry.scheduler.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a firing's instant on the scheduler's clock, bounded in real time: a batch claimed ahead of its instants
 * must not hold its cursors locked forever if the clock does not get there (a test's clock that stands still, a
 * clock stepped back). The clock is looked at again at least every {@link #LOOK_AGAIN}, so a clock that jumps is
 * noticed.
 */
final class InstantWait {

    private static final Duration LOOK_AGAIN = Duration.ofMillis(50);

    private final Clock clock;
    private final long deadlineNanos;

    private InstantWait(Clock clock, long deadlineNanos) {
        this.clock = clock;
        this.deadlineNanos = deadlineNanos;
    }

    /** A wait that gives up {@code bound} of real time from now. */
    static InstantWait boundedBy(Clock clock, Duration bound) {
        return new InstantWait(clock, System.nanoTime() + bound.toNanos());
    }

    /**
     * Returns once the clock has reached {@code instant}: true, or false when the bound ran out first or the thread was
     * interrupted (its interrupt flag kept).
     */
    boolean until(Instant instant) {
        while (true) {
            long left = Duration.between(clock.instant(), instant).toNanos();
            if (left <= 0) {
                return true;
            }
            long realLeft = deadlineNanos - System.nanoTime();
            if (realLeft <= 0 || Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(left, Math.min(realLeft, LOOK_AGAIN.toNanos())));
        }
    }
}
