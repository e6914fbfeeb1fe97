package dev.agentry.worker.runtime;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessSpec;
import dev.agentry.worker.sandbox.Executables;
import dev.agentry.worker.sandbox.SandboxView;
import dev.agentry.worker.workspace.Workspaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Claude Code CLI in print mode: {@code claude -p <prompt> --output-format stream-json --verbose ...} in the
 * workspace. Every stream-json line is handed on as a {@code stream} output as it is; the {@code system/init} line
 * names the session, the final {@code result} line says how it ended, what it cost and how many tokens it used.
 *
 * <p>The API key goes to the CLI in {@code ANTHROPIC_API_KEY} only, never in argv. Each task gets its own
 * {@code CLAUDE_CONFIG_DIR}, so runs never share state through the worker's home directory, and a later iteration
 * on this worker finds the session transcript of an earlier one. The CLI, its tools and its MCP servers run in the
 * run's sandbox, which sees that directory and the CLI's installation besides the workspace.
 */
@Component
class ClaudeCodeRuntime implements AgentRuntime {

    private static final Logger log = LoggerFactory.getLogger(ClaudeCodeRuntime.class);

    static final String MCP_CONFIG_FILE = "agentry-mcp-servers.json";

    private final WorkerProperties.ClaudeCode settings;
    private final Workspaces workspaces;
    private final JsonMapper json;

    ClaudeCodeRuntime(WorkerProperties properties, Workspaces workspaces, MessageCodec codec) {
        this.settings = properties.claudeCode();
        this.workspaces = workspaces;
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
        Path configDir = createConfigDir(request.taskId());
        @Nullable Path mcpConfig = request.mcpServers().isEmpty() ? null : writeMcpConfig(configDir, request);
        try {
            return run(request, listener, configDir, mcpConfig);
        } finally {
            if (mcpConfig != null) {
                // It holds the MCP servers' secrets in the clear: only for as long as the agent runs.
                try {
                    Files.deleteIfExists(mcpConfig);
                } catch (IOException e) {
                    log.warn(
                            "The MCP configuration of task {} could not be deleted: {}",
                            request.taskId(),
                            e.getMessage());
                }
            }
        }
    }

    private RuntimeOutcome run(
            RuntimeRequest request, RuntimeListener listener, Path configDir, @Nullable Path mcpConfig) {
        StreamState state = new StreamState();
        // Inside the sandbox the CLI also sees its own state (and the MCP configuration in it) and its installation.
        SandboxView own = SandboxView.writable(configDir)
                .and(new SandboxView(List.of(), Executables.installation(settings.cliPath())));
        ProcessResult exit = request.processes()
                .with(own)
                .run(
                        new ProcessSpec(argv(request, mcpConfig), request.directory(), env(request, configDir), false),
                        line -> {
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

    private Path createConfigDir(java.util.UUID taskId) {
        Path dir = workspaces.agentStateDir(taskId);
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the agent state of task " + taskId, e);
        }
        return dir;
    }

    /** {@code {"mcpServers": {name: {command, args, env}}}} in a 0600 file in the task's config dir. */
    private Path writeMcpConfig(Path configDir, RuntimeRequest request) {
        ObjectNode servers = JsonNodeFactory.instance.objectNode();
        for (McpServerConfig server : request.mcpServers()) {
            ObjectNode entry = servers.putObject(server.name());
            entry.put("type", "stdio");
            entry.put("command", server.command());
            ArrayNode args = entry.putArray("args");
            server.args().forEach(args::add);
            ObjectNode env = entry.putObject("env");
            server.env().forEach(env::put);
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("mcpServers", servers);
        Path file = configDir.resolve(MCP_CONFIG_FILE);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // Not the codec's mapper: its snake_case naming must not touch the CLI's own keys (mcpServers).
            Files.writeString(file, root.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the MCP configuration of task " + request.taskId(), e);
        }
        return file;
    }

    private List<String> argv(RuntimeRequest request, @Nullable Path mcpConfig) {
        List<String> argv = new ArrayList<>(
                List.of(settings.cliPath(), "-p", request.prompt(), "--output-format", "stream-json", "--verbose"));
        if (request.resumeSessionId() != null && !request.resumeSessionId().isBlank()) {
            argv.addAll(List.of("--resume", request.resumeSessionId()));
        }
        if (mcpConfig != null) {
            argv.addAll(List.of("--mcp-config", mcpConfig.toString(), "--strict-mcp-config"));
        }
        if (request.maxTurns() != null) {
            argv.addAll(List.of("--max-turns", request.maxTurns().toString()));
        }
        String model = request.model() != null ? request.model() : settings.model();
        if (model != null && !model.isBlank()) {
            argv.addAll(List.of("--model", model));
        }
        argv.addAll(List.of("--permission-mode", settings.permissionMode()));
        if (request.systemPrompt() != null && !request.systemPrompt().isBlank()) {
            argv.addAll(List.of("--append-system-prompt", request.systemPrompt()));
        }
        if (!request.allowedTools().isEmpty()) {
            argv.add("--allowedTools=" + String.join(",", request.allowedTools()));
        }
        if (request.maxBudgetUsd() != null) {
            argv.addAll(List.of("--max-budget-usd", request.maxBudgetUsd().toPlainString()));
        }
        return argv;
    }

    private Map<String, String> env(RuntimeRequest request, Path configDir) {
        Map<String, String> env = new HashMap<>(request.env());
        env.put("CLAUDE_CONFIG_DIR", configDir.toString());
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
