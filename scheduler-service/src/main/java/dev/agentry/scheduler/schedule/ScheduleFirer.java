package dev.agentry.scheduler.schedule;

import dev.agentry.scheduler.schedule.ScheduleCursors.Fired;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One pass of the due-schedule loop: bring the cursors in line with the schedules, then fire what is due, batch by
 * batch. Safe to run in any number of schedulers at once.
 */
class ScheduleFirer {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFirer.class);
    /** Real time past the lookahead a claimed batch waits for its instants before it lets them go. */
    private static final Duration UNREACHED_GRACE = Duration.ofSeconds(1);

    private final ScheduleCursors cursors;
    private final FiringPublisher publisher;
    private final TransactionTemplate transactions;
    private final ScheduleProperties settings;
    private final Clock clock;
    private final MeterRegistry meters;

    ScheduleFirer(
            ScheduleCursors cursors,
            FiringPublisher publisher,
            TransactionTemplate transactions,
            ScheduleProperties settings,
            Clock clock,
            MeterRegistry meters) {
        this.cursors = cursors;
        this.publisher = publisher;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        // At zero from the start (on-time firings of each type), so dashboards and alerts find the histogram before
        // the first firing; catch-up firings get theirs when one happens.
        for (String type : List.of(ScheduleRow.CRON, ScheduleRow.SCHEDULED, ScheduleRow.IMMEDIATE)) {
            lag(type, "false");
        }
    }

    /**
     * Starts cursors for new schedules and for schedules whose version changed, and drops the cursors of schedules
     * that went away. A schedule that cannot be evaluated gets a cursor that never fires, with the reason.
     */
    void sync() {
        int dropped;
        do {
            dropped = cursors.dropOrphans(settings.batchSize());
        } while (dropped == settings.batchSize());
        List<ScheduleRow> unsynced;
        do {
            Instant now = clock.instant();
            unsynced = cursors.unsynced(settings.batchSize());
            for (ScheduleRow schedule : unsynced) {
                start(schedule, now);
            }
        } while (unsynced.size() == settings.batchSize());
    }

    /**
     * Claims the cursors due now or within the lookahead, publishes each firing at its instant, waits for Kafka, and
     * moves the acknowledged ones on, in one transaction per batch.
     *
     * @return how many due cursors were handled
     */
    int fireDue() {
        int total = 0;
        int claimed;
        do {
            Integer batch = transactions.execute(status -> fireBatch(clock.instant()));
            claimed = batch == null ? 0 : batch;
            total += claimed;
        } while (claimed == settings.batchSize());
        return total;
    }

    private void start(ScheduleRow schedule, Instant now) {
        Instant first = null;
        String error = null;
        try {
            first = FireTimes.first(schedule, now);
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
            log.warn(
                    "The schedule of conversation {} (version {}) cannot fire and is skipped: {}",
                    schedule.conversationId(),
                    schedule.scheduleVersion(),
                    error);
            meters.counter("agentry.schedule.invalid").increment();
        }
        try {
            cursors.start(schedule, first, error, now);
        } catch (DataIntegrityViolationException e) {
            log.debug("Conversation {} went away while its cursor was started.", schedule.conversationId(), e);
        }
    }

    private int fireBatch(Instant now) {
        List<DueCursor> due = cursors.claimDue(now.plus(settings.lookahead()), settings.batchSize());
        List<Fired> firings = new ArrayList<>(due.size());
        for (DueCursor cursor : due) {
            // Evaluated as at the instant it is sent: a cron's next instant is the one after that, not after now.
            Instant at = cursor.nextFireAt().isAfter(now) ? cursor.nextFireAt() : now;
            try {
                firings.add(new Fired(cursor, FireTimes.fire(cursor, at)));
            } catch (IllegalArgumentException e) {
                log.warn(
                        "The schedule of conversation {} cannot fire and is skipped: {}",
                        cursor.conversationId(),
                        e.getMessage());
                cursors.markInvalid(cursor, e.getMessage(), now);
            }
        }
        if (firings.isEmpty()) {
            return due.size();
        }
        // Bounded: a clock that does not reach the instants (stepped back, or a test's) releases the cursors again.
        InstantWait wait = InstantWait.boundedBy(clock, settings.lookahead().plus(UNREACHED_GRACE));
        List<Fired> acknowledged = publisher.publish(firings, wait, settings.publishTimeout());
        Instant publishedAt = clock.instant();
        cursors.advance(acknowledged, publishedAt);
        for (Fired fired : acknowledged) {
            record(fired, publishedAt);
        }
        // A batch with failures ends the pass: the rest waits for the next one, after a pause.
        return acknowledged.size() == firings.size() ? due.size() : 0;
    }

    private void record(Fired fired, Instant publishedAt) {
        String type = fired.due().scheduleType();
        String catchUp = String.valueOf(fired.firing().catchUp());
        lag(type, catchUp).record(Duration.between(fired.firing().fireTime(), publishedAt));
        Counter.builder("agentry.schedule.firings")
                .description("schedule.fired messages Kafka acknowledged")
                .tags("type", type, "catch_up", catchUp)
                .register(meters)
                .increment();
    }

    private Timer lag(String type, String catchUp) {
        return Timer.builder("agentry.schedule.firing.lag")
                .description("From a firing's scheduled instant to Kafka's acknowledgement of its schedule.fired")
                .tags("type", type, "catch_up", catchUp)
                .publishPercentileHistogram()
                .register(meters);
    }
}
