package dev.agentry.events.task;

import dev.agentry.events.Message;

/** What the platform asks workers to do with a task. Published on {@code agentry.task.commands}. */
public sealed interface TaskCommand extends Message permits RunTask {}
