package dev.agentry.api.task;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/tasks}, as seed 004 defines it (snake_case on the wire). Every member is
 * nullable here so that the validator, not the JSON binder, names what is missing. {@code webhookEvents} is beyond
 * the seed: the webhook event types this task's {@code callbackUrl} receives, instead of the tenant's subscription.
 * Its entries stay JSON so that a number, object or nested array among them is the validator's 400 on
 * {@code webhook_events}, not the binder's on an index or an unnamed one.
 */
record CreateTaskRequest(
        @Nullable String repoUrl,
        @Nullable String prompt,
        @Nullable String providerKey,
        @Nullable String accessToken,
        @Nullable String callbackUrl,
        @Nullable List<@Nullable JsonNode> webhookEvents,
        @Nullable Config config) {

    public record Config(
            @Nullable Integer timeoutSeconds,
            @Nullable String cli,
            @Nullable String aiModel,
            @Nullable String aiApiKey,
            @Nullable Integer maxTurns,
            @Nullable String targetBranch,
            @Nullable BigDecimal maxBudgetUsd,
            @Nullable List<McpServer> mcpServers) {}

    public record McpServer(
            @Nullable String name,
            @Nullable String command,
            @Nullable List<String> args,
            @Nullable List<String> env) {}
}
