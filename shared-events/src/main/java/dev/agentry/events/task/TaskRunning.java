package dev.agentry.events.task;

/** The workspace is ready and the agent runtime has started. */
public record TaskRunning(int iteration, String workerId) implements TaskEvent {

    public static final String TYPE = "task.running";

    @Override
    public String type() {
        return TYPE;
    }
}
