/**
 * Seed 002's missions and sessions: {@code /api/v1/execute} (bounded wait, then {@code in_progress}), its SSE
 * stream, {@code /api/v1/sessions} and cancel. A mission runs on the task pipeline ({@link
 * dev.agentry.api.task.MissionTasks}): a session's first mission is a task of kind {@code mission}, each later one
 * its next iteration, resumed with {@code claude --resume} on the worker that holds the session's workspace. The
 * session's status is projected from the task's log ({@link dev.agentry.api.task.TaskLogAppended}).
 */
@NullMarked
package dev.agentry.api.mission;

import org.jspecify.annotations.NullMarked;
