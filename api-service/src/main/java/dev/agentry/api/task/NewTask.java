package dev.agentry.api.task;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A create request that passed validation; secrets still in plaintext, to be sealed before anything stores them.
 * {@code providerKey} names a key of the vault, which the service swaps for its sealed token. {@code webhookEvents} is
 * null when the tenant's subscription decides, else the chosen types without duplicates (empty: no webhooks).
 * {@code repoUrl} is null only for a mission in an empty scratch workspace; {@code mission} is null for a task.
 */
record NewTask(
        @Nullable String repoUrl,
        String prompt,
        @Nullable String callbackUrl,
        @Nullable List<String> webhookEvents,
        String runtime,
        int timeoutSeconds,
        @Nullable String model,
        @Nullable Integer maxTurns,
        @Nullable String targetBranch,
        @Nullable BigDecimal maxBudgetUsd,
        List<McpServer> mcpServers,
        @Nullable String accessToken,
        @Nullable String aiApiKey,
        @Nullable String providerKey,
        @Nullable Mission mission) {

    /** What only a seed 002 mission has: the profile's system prompt and allowed tools. */
    record Mission(@Nullable String systemPrompt, List<String> allowedTools) {}

    record McpServer(String name, String command, List<String> args, List<String> env) {}
}
