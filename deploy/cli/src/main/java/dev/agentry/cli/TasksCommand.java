package dev.agentry.cli;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code agentry tasks …}: seed 004's task API ({@code /api/v1/tasks}). */
@Command(
        name = "tasks",
        mixinStandardHelpOptions = true,
        description = "Submits tasks (an agent run on a git repository) and follows them.")
final class TasksCommand {

    private static final String TASKS = "/api/v1/tasks";

    @ParentCommand
    private @Nullable Agentry root;

    @Command(name = "submit", mixinStandardHelpOptions = true, description = "Submits a task; --watch follows it.")
    int submit(
            @Option(names = "--repo", required = true, paramLabel = "URL", description = "The git repository.")
                    String repoUrl,
            @Parameters(paramLabel = "PROMPT", description = "What the agent should do.") String prompt,
            @Option(
                            names = "--cli",
                            paramLabel = "RUNTIME",
                            description = "claude-code (the API's default), command, …")
                    @Nullable
                    String cli,
            @Option(names = "--model", paramLabel = "MODEL") @Nullable String model,
            @Option(names = "--timeout", paramLabel = "SECONDS") @Nullable Integer timeoutSeconds,
            @Option(names = "--max-turns", paramLabel = "N") @Nullable Integer maxTurns,
            @Option(names = "--max-budget-usd", paramLabel = "USD") @Nullable BigDecimal maxBudgetUsd,
            @Option(names = "--target-branch", paramLabel = "BRANCH") @Nullable String targetBranch,
            @Option(names = "--provider-key", paramLabel = "NAME", description = "A key registered with /api/v1/keys.")
                    @Nullable
                    String providerKey,
            @Option(
                            names = "--access-token-env",
                            paramLabel = "VAR",
                            description =
                                    "Read the git access token from this environment variable (never an argument).")
                    @Nullable
                    String accessTokenEnv,
            @Option(
                            names = "--ai-api-key-env",
                            paramLabel = "VAR",
                            description =
                                    "Read the model's API key from this environment variable (never an argument).")
                    @Nullable
                    String aiApiKeyEnv,
            @Option(names = "--callback-url", paramLabel = "URL") @Nullable String callbackUrl,
            @Option(names = "--webhook-event", paramLabel = "TYPE", description = "Repeatable.") @Nullable
                    List<String> webhookEvents,
            @Option(names = "--idempotency-key", paramLabel = "KEY") @Nullable String idempotencyKey,
            @Option(names = "--watch", description = "Follow the task until it ends; exit by its status.")
                    boolean watch) {
        Map<String, Object> config = new LinkedHashMap<>();
        putIfSet(config, "cli", cli);
        putIfSet(config, "ai_model", model);
        putIfSet(config, "timeout_seconds", timeoutSeconds);
        putIfSet(config, "max_turns", maxTurns);
        putIfSet(config, "max_budget_usd", maxBudgetUsd);
        putIfSet(config, "target_branch", targetBranch);
        putIfSet(config, "ai_api_key", fromEnv(aiApiKeyEnv));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("repo_url", repoUrl);
        body.put("prompt", prompt);
        putIfSet(body, "provider_key", providerKey);
        putIfSet(body, "access_token", fromEnv(accessTokenEnv));
        putIfSet(body, "callback_url", callbackUrl);
        putIfSet(body, "webhook_events", webhookEvents);
        if (!config.isEmpty()) {
            body.put("config", config);
        }
        Map<String, String> headers = idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
        JsonNode created = agentry().api().send("POST", TASKS, body, headers).body();
        String id = created.path("id").asString();
        agentry().printer().print(created, id + "  " + Printer.text(created, "status"));
        return watch ? watch(id) : ExitCode.OK;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows a task.")
    int get(
            @Parameters(paramLabel = "TASK_ID") String id,
            @Option(names = "--iterations", description = "Include each iteration (follow-ups).") boolean iterations) {
        JsonNode task = agentry().api().get(TASKS + "/" + segment(id) + (iterations ? "?include=iterations" : ""));
        List<String> lines = new ArrayList<>();
        for (String field : List.of(
                "id",
                "status",
                "repo_url",
                "iteration",
                "current_prompt",
                "result",
                "error",
                "branch",
                "pr_url",
                "created_at",
                "started_at",
                "finished_at")) {
            if (!task.path(field).isMissingNode() && !task.path(field).isNull()) {
                lines.add(field + ": " + task.get(field).asString());
            }
        }
        agentry().printer().print(task, String.join("\n", lines));
        return ExitCode.OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tasks, newest first.")
    int list(
            @Option(names = "--status", paramLabel = "STATUS", description = "pending, running, completed, failed, …")
                    @Nullable
                    String status,
            @Option(names = "--limit", paramLabel = "N", defaultValue = "20") int limit,
            @Option(names = "--cursor", paramLabel = "CURSOR", description = "next_cursor of the previous page.")
                    @Nullable
                    String cursor) {
        StringBuilder query = new StringBuilder("?limit=").append(limit);
        if (status != null) {
            query.append("&status=").append(segment(status));
        }
        if (cursor != null) {
            query.append("&cursor=").append(segment(cursor));
        }
        JsonNode page = agentry().api().get(TASKS + query);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "STATUS", "CREATED", "PROMPT"));
        for (JsonNode task : page.path("tasks")) {
            rows.add(List.of(
                    Printer.text(task, "id"),
                    Printer.text(task, "status"),
                    Printer.text(task, "created_at"),
                    Printer.shorten(Printer.text(task, "prompt"), 60)));
        }
        String next = Printer.text(page, "next_cursor");
        agentry()
                .printer()
                .print(page, Printer.table(rows) + (next.equals("-") ? "" : "\nnext page: --cursor " + next));
        return ExitCode.OK;
    }

    @Command(
            name = "watch",
            mixinStandardHelpOptions = true,
            description = "Streams a task's events until it ends; exits 0 completed, 1 failed, 3 stream lost.")
    int watch(@Parameters(paramLabel = "TASK_ID") String id) {
        Agentry agentry = agentry();
        return new TaskWatch(
                        agentry.api(), agentry.printer(), agentry.terminal().err(), 5)
                .follow(segment(id));
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a pending or running task.")
    int cancel(@Parameters(paramLabel = "TASK_ID") String id) {
        JsonNode answer = agentry().api().post(TASKS + "/" + segment(id) + "/cancel", null);
        agentry()
                .printer()
                .print(
                        answer,
                        Printer.text(answer, "id") + "  " + Printer.text(answer, "status") + "  "
                                + Printer.text(answer, "message"));
        return ExitCode.OK;
    }

    @Command(
            name = "instruct",
            mixinStandardHelpOptions = true,
            description = "Gives an ended task a follow-up instruction in its workspace; --watch follows it.")
    int instruct(
            @Parameters(index = "0", paramLabel = "TASK_ID") String id,
            @Parameters(index = "1", paramLabel = "PROMPT") String prompt,
            @Option(names = "--watch", description = "Follow the new iteration until it ends.") boolean watch) {
        JsonNode answer = agentry().api().post(TASKS + "/" + segment(id) + "/instruct", Map.of("prompt", prompt));
        agentry()
                .printer()
                .print(
                        answer,
                        Printer.text(answer, "id") + "  " + Printer.text(answer, "status") + "  iteration "
                                + Printer.text(answer, "iteration"));
        return watch ? watch(id) : ExitCode.OK;
    }

    private Agentry agentry() {
        return Objects.requireNonNull(root);
    }

    private @Nullable String fromEnv(@Nullable String variable) {
        if (variable == null) {
            return null;
        }
        String value = agentry().terminal().env().get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The environment variable " + variable + " is not set.");
        }
        return value;
    }

    private static void putIfSet(Map<String, Object> map, String key, @Nullable Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /** An id or value as one URL path segment or query value: nothing in it can change the request's path. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
