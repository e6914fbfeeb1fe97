package dev.agentry.events.task;

import dev.agentry.events.Message;

/**
 * What happened to a task, in the order it happened. Published on {@code agentry.task.events}. Every run of
 * an iteration ends with exactly one terminal event: {@link TaskCompleted} or {@link TaskFailed}.
 */
public sealed interface TaskEvent extends Message
        permits TaskStarted,
                TaskRunning,
                TaskOutput,
                TaskHeartbeat,
                TaskCompleted,
                TaskFailed,
                TaskPullRequestCreated,
                TaskPullRequestFailed {

    int iteration();

    /** Whether this event ends the run of its iteration: the one place that knows the terminal kinds. */
    default boolean terminal() {
        return this instanceof TaskCompleted || this instanceof TaskFailed || this instanceof TaskPullRequestCreated;
    }
}
