package dev.agentry.worker.runtime;

import dev.agentry.worker.sandbox.AgentProcesses;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One run of a runtime.
 *
 * @param workspace the cloned repository, the processes' working directory; null for runtimes that need none
 * @param aiApiKey the task's own AI provider key, already opened; null means the worker's default
 * @param env variables every process of the run gets (the git identity)
 * @param processes where the run starts its processes: in the run's sandbox, under the task's deadline and
 *     cancellation
 * @param mcpServers MCP servers to give the agent, secrets opened
 * @param resumeSessionId the agent session a follow-up iteration continues; null for a new session
 * @param systemPrompt text to append to the agent's system prompt; null for none
 * @param allowedTools tools the agent may use without asking; empty for the runtime's default
 */
public record RuntimeRequest(
        UUID taskId,
        int iteration,
        String prompt,
        @Nullable Path workspace,
        @Nullable String model,
        @Nullable Integer maxTurns,
        @Nullable BigDecimal maxBudgetUsd,
        @Nullable String aiApiKey,
        Map<String, String> env,
        AgentProcesses processes,
        List<McpServerConfig> mcpServers,
        @Nullable String resumeSessionId,
        @Nullable String systemPrompt,
        List<String> allowedTools) {

    public RuntimeRequest {
        env = Map.copyOf(env);
        mcpServers = List.copyOf(mcpServers);
        allowedTools = List.copyOf(allowedTools);
    }

    /** The working directory for processes: the workspace, or a neutral directory when there is none. */
    public Path directory() {
        return workspace != null ? workspace : Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public String toString() {
        return "RuntimeRequest[taskId=" + taskId + ", iteration=" + iteration + ", workspace=" + workspace + ", model="
                + model + ", aiApiKey=" + (aiApiKey == null ? "" : "***") + ", mcpServers=" + mcpServers
                + ", resumeSessionId=" + resumeSessionId + "]";
    }
}
