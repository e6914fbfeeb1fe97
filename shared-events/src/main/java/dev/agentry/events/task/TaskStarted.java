package dev.agentry.events.task;

/**
 * A worker took the task. {@code status} is {@code cloning} when it prepares a workspace first, or
 * {@code running} for runtimes that need none.
 *
 * @param attempt how many times this iteration has been delivered to a worker, 1 for the first time
 */
public record TaskStarted(int iteration, String workerId, int attempt, String status) implements TaskEvent {

    public static final String TYPE = "task.started";

    @Override
    public String type() {
        return TYPE;
    }
}
