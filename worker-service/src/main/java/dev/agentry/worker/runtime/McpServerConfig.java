package dev.agentry.worker.runtime;

import java.util.List;
import java.util.Map;

/**
 * An MCP server for the agent, its environment opened from the sealed {@code NAME=value} entries of the command.
 *
 * @param env may hold secrets: only ever written to a 0600 file for the agent, never to argv or a log
 */
public record McpServerConfig(String name, String command, List<String> args, Map<String, String> env) {

    public McpServerConfig {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    @Override
    public String toString() {
        return "McpServerConfig[name=" + name + ", command=" + command + ", args=" + args + ", env=" + env.keySet()
                + "]";
    }
}
