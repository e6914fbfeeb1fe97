package dev.agentry.events.task;

/**
 * Stop the task: a worker running it kills the agent's process tree; a worker that has not started it yet never
 * starts it. The API has already recorded the task as failed (cancelled) when this is sent.
 */
public record CancelTask(int iteration) implements TaskControl {

    public static final String TYPE = "task.cancel";

    @Override
    public String type() {
        return TYPE;
    }
}
