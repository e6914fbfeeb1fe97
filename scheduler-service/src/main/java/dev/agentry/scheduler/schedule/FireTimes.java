package dev.agentry.scheduler.schedule;

import dev.agentry.events.schedule.CronSchedule;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The arithmetic of firing, apart from the database: the first instant of a schedule, and the firing of a due
 * cursor. Throws {@link IllegalArgumentException} naming the problem for a schedule that cannot be evaluated.
 */
final class FireTimes {

    /** Parsed expressions: thousands of conversations tend to share a handful of them. */
    private static final Map<String, CronSchedule> PARSED = new ConcurrentHashMap<>();

    private static final int PARSED_LIMIT = 10_000;

    /**
     * The first instant to fire for a schedule the scheduler has not seen at this version. A cron schedule starts at
     * the {@code nextRunAt} the API showed (aligned to the cron), or the next instant after now when the API showed
     * none; a one-time schedule fires at its {@code run_at}; an immediate one at once.
     */
    static Instant first(ScheduleRow schedule, Instant now) {
        return switch (schedule.scheduleType()) {
            case ScheduleRow.CRON -> {
                CronSchedule cron = cron(schedule.cronExpression(), schedule.timezone());
                Instant shown = schedule.nextRunAt();
                yield shown == null ? cron.nextAfter(now) : cron.nextAfter(shown.minusMillis(1));
            }
            case ScheduleRow.SCHEDULED -> {
                Instant runAt = schedule.runAt();
                if (runAt == null) {
                    throw new IllegalArgumentException("A scheduled (one-time) schedule has no run_at");
                }
                yield runAt;
            }
            case ScheduleRow.IMMEDIATE -> {
                Instant shown = schedule.nextRunAt();
                yield shown == null ? now : shown;
            }
            default -> throw new IllegalArgumentException("Unknown schedule type " + schedule.scheduleType());
        };
    }

    /** The firing of {@code due} at {@code now}: one firing for its instant, then the next instant after now. */
    static Firing fire(DueCursor due, Instant now) {
        if (!ScheduleRow.CRON.equals(due.scheduleType())) {
            return new Firing(due.nextFireAt(), false, null);
        }
        CronSchedule cron = cron(due.cronExpression(), due.timezone());
        boolean missedMore = !cron.nextAfter(due.nextFireAt()).isAfter(now);
        return new Firing(due.nextFireAt(), missedMore, cron.nextAfter(now));
    }

    private static CronSchedule cron(@Nullable String expression, String timezone) {
        if (expression == null) {
            return CronSchedule.parse(null, timezone);
        }
        String key = expression + '\n' + timezone;
        CronSchedule cached = PARSED.get(key);
        if (cached != null) {
            return cached;
        }
        CronSchedule parsed = CronSchedule.parse(expression, timezone);
        if (PARSED.size() >= PARSED_LIMIT) {
            PARSED.clear();
        }
        PARSED.put(key, parsed);
        return parsed;
    }

    private FireTimes() {}
}
