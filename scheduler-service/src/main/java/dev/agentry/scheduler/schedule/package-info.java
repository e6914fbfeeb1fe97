/**
 * Conversation schedules: a due-schedule loop that reads the API's schedules through the
 * {@code scheduler_conversation_schedules} view, keeps one cursor per conversation in {@code schedule_cursors}, and
 * publishes each due instant once as {@code schedule.fired} on {@code agentry.schedule.firings}. It never runs the
 * work: the API turns a firing into a turn, at most once per (conversation, fire time).
 */
@NullMarked
package dev.agentry.scheduler.schedule;

import org.jspecify.annotations.NullMarked;
