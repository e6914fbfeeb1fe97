package dev.agentry.events.task;

import dev.agentry.events.Message;

/**
 * What a worker says about a task's workspace, on {@code agentry.task.events} beside the task's own events
 * (same key, so in order with them). Not part of the task's event log.
 */
public sealed interface WorkspaceEvent extends Message permits WorkspaceReported, WorkspaceRemoved {

    String workerId();
}
