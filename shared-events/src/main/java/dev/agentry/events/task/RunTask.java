package dev.agentry.events.task;

import dev.agentry.events.secret.SealedSecret;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Run one iteration of a task: prepare the workspace, then run the agent runtime with the prompt.
 *
 * @param iteration 1 for the first run, n+1 for each follow-up instruction
 * @param runtime the runtime name, {@code config.cli} of the request ({@code claude-code}, {@code command}, ...)
 * @param accessToken the git token, sealed; never plaintext on the wire
 * @param aiApiKey the AI provider key, sealed; null means the worker's default
 * @param repoUrl the repository to clone; null for an empty scratch workspace (a seed 002 mission without one)
 * @param resumeSessionId for a follow-up iteration, the agent session to continue ({@code claude --resume}); null
 *     for a first iteration
 * @param systemPrompt text the runtime appends to the agent's system prompt (a mission profile's); null for none
 * @param allowedTools the tools the agent may use without asking (a mission profile's); empty leaves the runtime's
 *     default
 */
public record RunTask(
        int iteration,
        @Nullable String repoUrl,
        String prompt,
        String runtime,
        int timeoutSeconds,
        @Nullable String targetBranch,
        @Nullable String model,
        @Nullable Integer maxTurns,
        @Nullable BigDecimal maxBudgetUsd,
        List<McpServer> mcpServers,
        @Nullable SealedSecret accessToken,
        @Nullable SealedSecret aiApiKey,
        @Nullable String resumeSessionId,
        @Nullable String systemPrompt,
        List<String> allowedTools)
        implements TaskCommand {

    public static final String TYPE = "task.run";

    public RunTask {
        mcpServers = List.copyOf(mcpServers);
        // A command published before these members existed decodes with none.
        allowedTools = allowedTools == null ? List.of() : List.copyOf(allowedTools);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** An MCP server handed to the agent CLI; {@code env} entries are {@code NAME=value}, sealed. */
    public record McpServer(String name, String command, List<String> args, List<SealedSecret> env) {

        public McpServer {
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
    }
}
