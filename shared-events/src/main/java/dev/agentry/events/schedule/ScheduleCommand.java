package dev.agentry.events.schedule;

import dev.agentry.events.Message;

/** What the scheduler tells the API on {@code agentry.schedule.firings}. Aggregate id: the conversation id. */
public sealed interface ScheduleCommand extends Message permits ScheduleFired {}
