/**
 * The task aggregate and its only owner: every statement on {@code tasks}, {@code task_iterations},
 * {@code task_events} and {@code workspaces} is in this package's repositories ({@code Tasks}, {@code TaskEventLog},
 * {@code Workspaces}, {@code AdmissionQueue}). Seed 004's task endpoints, admission for tenants with a running-tasks
 * limit, and the projector that turns worker events into the event log and the task's state are internal. Other
 * features use the public services: {@link dev.agentry.api.task.TaskLog} (streams), {@link
 * dev.agentry.api.task.TaskPullRequests} (create-pr), {@link dev.agentry.api.task.TaskWorkspaces} (workspaces), and
 * hear {@link dev.agentry.api.task.TaskLogAppended} once a projected batch has committed.
 */
@NullMarked
package dev.agentry.api.task;

import org.jspecify.annotations.NullMarked;
