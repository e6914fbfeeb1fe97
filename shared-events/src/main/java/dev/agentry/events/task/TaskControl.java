package dev.agentry.events.task;

import dev.agentry.events.Message;

/**
 * Messages for workers that are not queue work: every worker reads them all, in order, from
 * {@code agentry.task.control}; the one they concern acts.
 */
public sealed interface TaskControl extends Message
        permits CancelTask, RunIteration, DeleteWorkspace, CreatePullRequest {}
