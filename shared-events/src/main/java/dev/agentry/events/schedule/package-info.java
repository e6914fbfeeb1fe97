/**
 * Time for conversations: the cron evaluator every service shares ({@link dev.agentry.events.schedule.CronSchedule})
 * and the firing the scheduler sends on {@code agentry.schedule.firings}.
 */
@NullMarked
package dev.agentry.events.schedule;

import org.jspecify.annotations.NullMarked;
