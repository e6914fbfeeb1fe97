package dev.agentry.events.task;

/** Remove the task's workspace on the worker that holds it. */
public record DeleteWorkspace(String workerId) implements TaskControl {

    public static final String TYPE = "workspace.delete";

    @Override
    public String type() {
        return TYPE;
    }
}
