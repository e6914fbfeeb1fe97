package dev.agentry.events.task;

/**
 * The workspace is gone from {@code workerId}.
 *
 * @param reason {@code deleted} (on request) or {@code expired} (past the worker's maximum age)
 */
public record WorkspaceRemoved(String workerId, String reason) implements WorkspaceEvent {

    public static final String TYPE = "workspace.removed";

    @Override
    public String type() {
        return TYPE;
    }
}
