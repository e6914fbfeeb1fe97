package dev.agentry.events.task;

/** The worker running the task is alive. Not part of the task's event log, only of its liveness. */
public record TaskHeartbeat(int iteration, String workerId, int attempt) implements TaskEvent {

    public static final String TYPE = "task.heartbeat";

    @Override
    public String type() {
        return TYPE;
    }
}
