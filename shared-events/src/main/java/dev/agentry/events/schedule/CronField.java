package dev.agentry.events.schedule;

import java.util.List;
import java.util.Locale;

/**
 * One of the five fields of a cron expression, parsed into a bit mask of the values it allows: lists
 * ({@code 1,15}), ranges ({@code 9-17}), steps ({@code *}{@code /15}, {@code 0-30/10}, {@code 5/20}) and, for
 * months and days of the week, three-letter English names ({@code JAN}, {@code MON}).
 */
enum CronField {
    MINUTE("minute", 0, 59, List.of()),
    HOUR("hour", 0, 23, List.of()),
    DAY_OF_MONTH("day of month", 1, 31, List.of()),
    MONTH("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    /** 0 and 7 are both Sunday, as in every common cron. */
    DAY_OF_WEEK("day of week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

    private final String label;
    private final int min;
    private final int max;
    /** Names in value order, the first one naming {@link #min}. */
    private final List<String> names;

    CronField(String label, int min, int max, List<String> names) {
        this.label = label;
        this.min = min;
        this.max = max;
        this.names = names;
    }

    /**
     * The values {@code text} allows, bit {@code v} set for value {@code v}.
     *
     * @throws IllegalArgumentException with a message naming the field and the faulty part
     */
    long parse(String text) {
        long mask = 0;
        for (String item : text.split(",", -1)) {
            mask |= parseItem(item);
        }
        if (this == DAY_OF_WEEK && (mask & (1L << 7)) != 0) {
            mask = (mask & ~(1L << 7)) | 1L;
        }
        return mask;
    }

    private long parseItem(String item) {
        if (item.isEmpty()) {
            throw new IllegalArgumentException(label + " has an empty list element");
        }
        int slash = item.indexOf('/');
        String range = slash < 0 ? item : item.substring(0, slash);
        int step = slash < 0 ? 1 : step(item.substring(slash + 1));
        int from;
        int to;
        if (range.equals("*")) {
            from = min;
            to = max;
        } else {
            int dash = range.indexOf('-');
            from = value(dash < 0 ? range : range.substring(0, dash));
            to = dash < 0 ? (slash < 0 ? from : max) : value(range.substring(dash + 1));
        }
        if (from > to) {
            throw problem("range %s starts after it ends".formatted(range));
        }
        long mask = 0;
        for (int v = from; v <= to; v += step) {
            mask |= 1L << v;
        }
        return mask;
    }

    private int step(String text) {
        int step = number(text, "step");
        if (step < 1) {
            throw problem("step %s must be at least 1".formatted(text));
        }
        return step;
    }

    private int value(String text) {
        int index = names.indexOf(text.toUpperCase(Locale.ROOT));
        int value = index >= 0 ? min + index : number(text, "value");
        if (value < min || value > max) {
            throw problem("value %d is out of range %d-%d".formatted(value, min, max));
        }
        return value;
    }

    private int number(String text, String what) {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(Character::isDigit)) {
            throw problem("%s \"%s\" is not a number%s".formatted(what, text, names.isEmpty() ? "" : " or a name"));
        }
        return Integer.parseInt(text);
    }

    private IllegalArgumentException problem(String detail) {
        return new IllegalArgumentException(label + " " + detail);
    }
}
