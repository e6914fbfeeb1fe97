package dev.agentry.events.task;

import org.jspecify.annotations.Nullable;

/**
 * The iteration finished successfully.
 *
 * @param sessionId the agent's own session id, for a follow-up iteration to resume
 */
public record TaskCompleted(
        int iteration,
        String result,
        Usage usage,
        ChangesSummary changes,
        @Nullable String sessionId) implements TaskEvent {

    public static final String TYPE = "task.completed";

    @Override
    public String type() {
        return TYPE;
    }
}
