package dev.agentry.api.task;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A seed 002 mission as the task pipeline runs it: the mission text as the prompt, the rest from its profile.
 *
 * @param repoUrl the profile's repository, cloned like a task's; null for an empty scratch workspace
 * @param systemPrompt appended to the agent's system prompt
 * @param allowedTools tools the agent may use without asking; empty for the worker's default
 */
public record MissionRun(
        String mission,
        String runtime,
        @Nullable String model,
        @Nullable String systemPrompt,
        List<String> allowedTools,
        @Nullable Integer maxTurns,
        int timeoutSeconds,
        @Nullable String repoUrl) {

    public MissionRun {
        allowedTools = List.copyOf(allowedTools);
    }
}
