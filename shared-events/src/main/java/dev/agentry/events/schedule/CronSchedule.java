package dev.agentry.events.schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A five-field cron expression ({@code minute hour day-of-month month day-of-week}) evaluated in an IANA time zone.
 *
 * <p>Syntax: {@code *}, lists, ranges, steps, {@code JAN}-{@code DEC} and {@code SUN}-{@code SAT} (any case), 0
 * or 7 for Sunday, and the macros {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly},
 * {@code @daily}, {@code @midnight}, {@code @hourly}. When both day fields are restricted (neither starts with
 * {@code *}) a day matches if either does, as in Vixie cron and POSIX; otherwise both must match.
 *
 * <p>Time is wall-clock time in the zone. A wall-clock time that a daylight-saving gap skips fires once, at the
 * first instant after the gap (02:30 on a spring-forward night in New York fires at 03:00 EDT); a wall-clock time
 * that a fall-back overlap repeats fires once, at its first occurrence.
 *
 * <p>Written over {@code java.time} rather than taken from a cron library: this contract library stays free of
 * dependencies, the DST rules above are ours to state and test, and the evaluator is small.
 */
public final class CronSchedule {

    /** The longest wait a valid expression can have: {@code 0 0 29 2 *} waits eight years across 2100. */
    private static final int SEARCH_YEARS = 50;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Set<String> ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private final String expression;
    private final ZoneId zone;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    /** Vixie cron's rule: a day matches if either day field does, only when both are restricted. */
    private final boolean eitherDay;

    private CronSchedule(String expression, ZoneId zone, List<String> fields) {
        this.expression = expression;
        this.zone = zone;
        this.minutes = CronField.MINUTE.parse(fields.get(0));
        this.hours = CronField.HOUR.parse(fields.get(1));
        this.daysOfMonth = CronField.DAY_OF_MONTH.parse(fields.get(2));
        this.months = CronField.MONTH.parse(fields.get(3));
        this.daysOfWeek = CronField.DAY_OF_WEEK.parse(fields.get(4));
        this.eitherDay = !fields.get(2).startsWith("*") && !fields.get(4).startsWith("*");
        if (!eitherDay && !dayOfMonthCanOccur()) {
            throw new IllegalArgumentException("day of month never occurs in the months given");
        }
    }

    /**
     * Parses {@code expression} for evaluation in {@code timezone}.
     *
     * @throws IllegalArgumentException {@code Invalid cron expression: ...} or {@code Unknown time zone: ...}, with
     *     what is wrong
     */
    public static CronSchedule parse(@Nullable String expression, @Nullable String timezone) {
        ZoneId zone = zone(timezone);
        String text = expression == null ? "" : expression.strip();
        String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
        List<String> fields = expanded.isEmpty() ? List.of() : List.of(WHITESPACE.split(expanded));
        if (fields.size() != 5) {
            throw new IllegalArgumentException("Invalid cron expression: expected 5 fields (minute hour day-of-month"
                    + " month day-of-week), got " + fields.size() + " in \"" + text + "\"");
        }
        try {
            return new CronSchedule(text, zone, fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Invalid cron expression: " + e.getMessage() + " in \"" + text + "\"", e);
        }
    }

    /**
     * The IANA zone named {@code timezone} ({@code Europe/Berlin}, {@code UTC}); offsets and abbreviations that are
     * not tz database names are refused.
     *
     * @throws IllegalArgumentException {@code Unknown time zone: ...}
     */
    public static ZoneId zone(@Nullable String timezone) {
        if (timezone == null || !ZONES.contains(timezone)) {
            throw new IllegalArgumentException("Unknown time zone: " + timezone);
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Unknown time zone: " + timezone, e);
        }
    }

    /** The first firing strictly after {@code after}. */
    public Instant nextAfter(Instant after) {
        LocalDateTime from = LocalDateTime.ofInstant(after, zone)
                .truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(1);
        LocalDate limit = from.toLocalDate().plusYears(SEARCH_YEARS);
        for (LocalDateTime local = nextLocal(from, limit);
                local != null;
                local = nextLocal(local.plusMinutes(1), limit)) {
            Instant instant = resolve(local);
            // An overlap's wall-clock times were already passed, or a gap's times all became one instant.
            if (instant.isAfter(after)) {
                return instant;
            }
        }
        throw new IllegalStateException("Cron expression " + this + " has no firing within " + SEARCH_YEARS + " years");
    }

    public String expression() {
        return expression;
    }

    public ZoneId zoneId() {
        return zone;
    }

    private Instant resolve(LocalDateTime local) {
        var rules = zone.getRules();
        var offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        // In an overlap the offset before the transition comes first: the earlier instant.
        return local.toInstant(offsets.getFirst());
    }

    private @Nullable LocalDateTime nextLocal(LocalDateTime from, LocalDate limit) {
        LocalDate date = from.toLocalDate();
        int hour = from.getHour();
        int minute = from.getMinute();
        while (date.isBefore(limit)) {
            if (!has(months, date.getMonthValue())) {
                date = date.withDayOfMonth(1).plusMonths(1);
            } else if (dayMatches(date)) {
                int h = next(hours, hour, 23);
                int m = h == hour ? next(minutes, minute, 59) : next(minutes, 0, 59);
                if (h >= 0 && m >= 0) {
                    return date.atTime(h, m);
                }
                if (h >= 0 && h < 23) {
                    hour = h + 1;
                    minute = 0;
                    continue;
                }
                date = date.plusDays(1);
            } else {
                date = date.plusDays(1);
            }
            hour = 0;
            minute = 0;
        }
        return null;
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = has(daysOfMonth, date.getDayOfMonth());
        boolean dow = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return eitherDay ? dom || dow : dom && dow;
    }

    private boolean dayOfMonthCanOccur() {
        int firstDay = Long.numberOfTrailingZeros(daysOfMonth);
        for (Month month : Month.values()) {
            if (has(months, month.getValue()) && firstDay <= month.maxLength()) {
                return true;
            }
        }
        return false;
    }

    private static boolean has(long mask, int value) {
        return (mask & (1L << value)) != 0;
    }

    /** The lowest set bit at or above {@code from} and at most {@code max}, or -1. */
    private static int next(long mask, int from, int max) {
        long above = mask & (-1L << from);
        int bit = Long.numberOfTrailingZeros(above);
        return above == 0 || bit > max ? -1 : bit;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule that && expression.equals(that.expression) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return expression.hashCode() * 31 + zone.hashCode();
    }

    @Override
    public String toString() {
        return "\"" + expression + "\" in " + zone;
    }
}
