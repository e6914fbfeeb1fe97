package dev.agentry.scheduler.schedule;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the tests move by hand, so a per-minute schedule is tested without waiting minutes. */
final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves the clock to {@code instant}; it never goes back, as the tests of one context share it. */
    void set(Instant instant) {
        now.accumulateAndGet(instant, (current, next) -> next.isAfter(current) ? next : current);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The test clock is UTC only");
    }
}
