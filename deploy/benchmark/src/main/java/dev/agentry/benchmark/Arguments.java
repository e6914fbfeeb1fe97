package dev.agentry.benchmark;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** {@code --name value} and {@code --name=value} options; asking for an option marks it as known. */
final class Arguments {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final Set<String> read = new HashSet<>();

    Arguments(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + arg);
            }
            String name = arg.substring(2);
            int equals = name.indexOf('=');
            if (equals >= 0) {
                values.put(name.substring(0, equals), name.substring(equals + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                values.put(name, args.get(++i));
            } else {
                flags.add(name);
            }
        }
    }

    @Nullable
    String string(String name) {
        read.add(name);
        return values.get(name);
    }

    String string(String name, String fallback) {
        String value = string(name);
        return value == null ? fallback : value;
    }

    boolean flag(String name) {
        read.add(name);
        return flags.contains(name);
    }

    int integer(String name, int fallback) {
        String value = string(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed <= 0) {
                throw new IllegalArgumentException("--" + name + " must be positive, not " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not " + value, e);
        }
    }

    Duration duration(String name, Duration fallback) {
        String value = string(name);
        Duration duration = value == null ? fallback : parseDuration(name, value);
        if (duration.isZero()) {
            throw new IllegalArgumentException("--" + name + " must be longer than zero");
        }
        return duration;
    }

    /** A duration that may be zero, such as a warm-up to skip. */
    Duration durationOrZero(String name) {
        String value = string(name);
        return value == null ? Duration.ZERO : parseDuration(name, value);
    }

    /** Fails on options nobody asked for, so a typo does not silently run the default. */
    void rejectUnknown() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.addAll(flags);
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown option(s): --" + String.join(", --", unknown));
        }
    }

    static Duration parseDuration(String name, String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--" + name + " must look like 500ms, 30s, 2m or 1h, not " + value);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }
}
