package dev.agentry.events.task;

/**
 * Run a follow-up iteration on the worker that holds the task's workspace, continuing the agent's session there.
 * A worker that is not {@code workerId} ignores it; the worker that is, but lost the workspace, fails the
 * iteration ({@code workspace_lost}) rather than start from a fresh clone.
 */
public record RunIteration(String workerId, RunTask run) implements TaskControl {

    public static final String TYPE = "task.iteration";

    @Override
    public String type() {
        return TYPE;
    }
}
