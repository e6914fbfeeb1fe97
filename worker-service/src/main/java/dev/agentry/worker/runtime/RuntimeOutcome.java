package dev.agentry.worker.runtime;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * How a run ended, as the runtime saw it.
 *
 * @param text the result on success, the runtime's own error message on failure
 * @param costUsd what the run cost, when the runtime knows
 * @param sessionId the agent's session, for a follow-up iteration to resume
 */
public record RuntimeOutcome(
        boolean succeeded,
        String text,
        long inputTokens,
        long outputTokens,
        @Nullable BigDecimal costUsd,
        @Nullable String sessionId) {

    public static RuntimeOutcome completed(String result) {
        return new RuntimeOutcome(true, result, 0, 0, null, null);
    }

    public static RuntimeOutcome failed(String error) {
        return new RuntimeOutcome(false, error, 0, 0, null, null);
    }
}
