package dev.agentry.worker.runtime;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The Claude Code CLI in print mode: {@code claude -p <prompt> --output-format stream-json --verbose ...} in the
 * workspace. Every stream-json line is handed on as a {@code stream} output as it is; the {@code system/init} line
 * names the session, the final {@code result} line says how it ended, what it cost and how many tokens it used.
 *
 * <p>The API key goes to the CLI in {@code ANTHROPIC_API_KEY} only, never in argv. Each task gets its own
 * {@code CLAUDE_CONFIG_DIR}, so runs never share state through the worker's home directory, and a later iteration
 * on this worker finds the session transcript of an earlier one.
 */
@Component
class ClaudeCodeRuntime implements AgentRuntime {

    private final WorkerProperties.ClaudeCode settings;
    private final Path configRoot;
    private final JsonMapper json;

    ClaudeCodeRuntime(WorkerProperties properties, MessageCodec codec) {
        this.settings = properties.claudeCode();
        this.configRoot = properties.workspaceRoot().resolve(".agentry").resolve("claude");
        this.json = codec.mapper();
    }

    @Override
    public String name() {
        return "claude-code";
    }

    @Override
    public boolean needsWorkspace() {
        return true;
    }

    @Override
    public RuntimeOutcome run(RuntimeRequest request, RuntimeListener listener) {
        StreamState state = new StreamState();
        ProcessResult exit = request.processes()
                .run(new ProcessSpec(argv(request), request.directory(), env(request), false), line -> {
                    JsonNode event = parse(line);
                    if (event == null) {
                        listener.output(
                                "cli",
                                "output",
                                JsonNodeFactory.instance.objectNode().put("line", line));
                        return;
                    }
                    state.observe(event);
                    listener.output("stream", "output", event);
                });
        JsonNode result = state.result;
        if (result == null) {
            String tail = exit.errorTail();
            return RuntimeOutcome.failed("claude exited with " + exit.exitCode() + " without a result"
                    + (tail.isEmpty() ? "" : ": " + tail));
        }
        JsonNode usage = result.path("usage");
        BigDecimal cost = result.path("total_cost_usd").isNumber()
                ? result.path("total_cost_usd").decimalValue()
                : null;
        boolean failed = result.path("is_error").asBoolean(false) || exit.exitCode() != 0;
        String text = result.path("result").asString("");
        if (failed && text.isEmpty()) {
            text = "claude failed: " + result.path("subtype").asString("error");
        }
        String sessionId =
                result.path("session_id").isString() ? result.path("session_id").asString() : state.sessionId;
        return new RuntimeOutcome(
                !failed,
                text,
                usage.path("input_tokens").asLong(0),
                usage.path("output_tokens").asLong(0),
                cost,
                sessionId);
    }

    private List<String> argv(RuntimeRequest request) {
        List<String> argv = new ArrayList<>(
                List.of(settings.cliPath(), "-p", request.prompt(), "--output-format", "stream-json", "--verbose"));
        if (request.maxTurns() != null) {
            argv.addAll(List.of("--max-turns", request.maxTurns().toString()));
        }
        String model = request.model() != null ? request.model() : settings.model();
        if (model != null && !model.isBlank()) {
            argv.addAll(List.of("--model", model));
        }
        argv.addAll(List.of("--permission-mode", settings.permissionMode()));
        if (request.maxBudgetUsd() != null) {
            argv.addAll(List.of("--max-budget-usd", request.maxBudgetUsd().toPlainString()));
        }
        return argv;
    }

    private Map<String, String> env(RuntimeRequest request) {
        Map<String, String> env = new HashMap<>(request.env());
        env.put(
                "CLAUDE_CONFIG_DIR",
                configRoot.resolve(request.taskId().toString()).toString());
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        String apiKey = request.aiApiKey() != null ? request.aiApiKey() : settings.apiKey();
        if (apiKey != null && !apiKey.isBlank()) {
            env.put("ANTHROPIC_API_KEY", apiKey);
        }
        if (settings.baseUrl() != null && !settings.baseUrl().isBlank()) {
            env.put("ANTHROPIC_BASE_URL", settings.baseUrl());
        }
        return env;
    }

    private @Nullable JsonNode parse(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            return json.readTree(line);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** What the stream said so far; written by the process reader thread, read after the process ended. */
    private static final class StreamState {
        private volatile @Nullable String sessionId;
        private volatile @Nullable JsonNode result;

        void observe(JsonNode event) {
            String type = event.path("type").asString("");
            if (type.equals("system") && event.path("subtype").asString("").equals("init")) {
                sessionId = event.path("session_id").asString(null);
            } else if (type.equals("result")) {
                result = event;
            }
        }
    }
}
