package dev.agentry.api.task;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** An entry of a task's event log as SSE serves it: {@code {type, event, data, ts}} plus its {@code seq}. */
public record LoggedEvent(UUID taskId, String tenantId, long seq, String type, String event, JsonNode data, String ts) {

    /** The entry that ends the task's current iteration, if this is one: its {@code result} with a final status. */
    public boolean ends() {
        return type.equals("result")
                && data.path("status").isString()
                && TaskStatus.fromWire(data.path("status").asString())
                        .map(TaskStatus::terminal)
                        .orElse(false);
    }
}
