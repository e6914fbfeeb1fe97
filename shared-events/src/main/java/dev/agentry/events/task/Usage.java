package dev.agentry.events.task;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/** What an iteration consumed, as the agent runtime reported it. */
public record Usage(
        long inputTokens,
        long outputTokens,
        long durationSeconds,
        @Nullable BigDecimal costUsd) {

    public static Usage none(long durationSeconds) {
        return new Usage(0, 0, durationSeconds, null);
    }
}
