package dev.agentry.benchmark;

import java.time.Duration;

/** Durations the way the options are written: 50ms, 30s, 2m. */
final class Durations {

    static String human(Duration d) {
        if (d.toMillis() < 1000 || d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long seconds = d.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private Durations() {}
}
