package dev.agentry.api.mission;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a session is: no mission yet, one running, or how the latest one ended. */
enum SessionStatus {
    CREATED,
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    /** The agent asked the user a question; the next execute with this session id is the answer. */
    PAUSED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<SessionStatus> fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
    }
}
