package dev.agentry.api.task;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A task as {@code GET /api/v1/tasks/{id}} shows it: seed 004's Task schema, snake_case, nulls omitted. Beyond the
 * seed, {@code webhookEvents} is the task's own choice of webhook events, absent when the tenant's subscription
 * decides.
 */
record TaskView(
        UUID id,
        String status,
        @Nullable String repoUrl,
        String prompt,
        @Nullable String callbackUrl,
        @Nullable List<String> webhookEvents,
        JsonNode config,
        @Nullable String result,
        @Nullable String error,
        @Nullable JsonNode changesSummary,
        @Nullable JsonNode usage,
        int iteration,
        String currentPrompt,
        @Nullable List<IterationView> iterations,
        @Nullable String branch,
        @Nullable Integer prNumber,
        @Nullable String prUrl,
        @Nullable String prError,
        @Nullable String traceId,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant finishedAt) {

    TaskView withIterations(List<IterationView> all) {
        return new TaskView(
                id,
                status,
                repoUrl,
                prompt,
                callbackUrl,
                webhookEvents,
                config,
                result,
                error,
                changesSummary,
                usage,
                iteration,
                currentPrompt,
                all,
                branch,
                prNumber,
                prUrl,
                prError,
                traceId,
                createdAt,
                startedAt,
                finishedAt);
    }

    /** One run of the task: the first prompt, or a follow-up instruction. */
    public record IterationView(
            int number,
            String prompt,
            String status,
            @Nullable String result,
            @Nullable String error,
            @Nullable JsonNode changes,
            @Nullable JsonNode usage,
            @Nullable Instant startedAt,
            @Nullable Instant endedAt) {}
}
