package dev.agentry.events.task;

import tools.jackson.databind.JsonNode;

/**
 * Progress a client can watch: a git step, a line of CLI output, an event of the agent's own stream.
 *
 * @param category one of {@code system, git, cli, stream, result}
 * @param name what happened, such as {@code clone_start}, {@code output}, {@code status_change}
 * @param data the event's JSON payload; for {@code stream} it is the agent CLI's stream-json event as is
 */
public record TaskOutput(int iteration, String category, String name, JsonNode data) implements TaskEvent {

    public static final String TYPE = "task.output";

    @Override
    public String type() {
        return TYPE;
    }
}
