package dev.agentry.scheduler.reaper;

import java.time.Duration;

/** Durations as people write them in error sentences: {@code 5 min}, {@code 90 s}, {@code 1 h}. */
final class Durations {

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + " h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }

    private Durations() {}
}
