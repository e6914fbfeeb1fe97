package dev.agentry.events.conversation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When a conversation's background work runs, and what it does.
 *
 * @param type {@code cron} (recurring), {@code scheduled} (once, at {@code runAt}) or {@code immediate} (once,
 *     right away)
 * @param cronExpression for {@code cron}: five fields, evaluated in {@code timezone}
 * @param timezone an IANA zone id; {@code UTC} by default
 * @param runAt for {@code scheduled}: the instant to run at
 * @param task what each run does, in the model's words; the worker prompt of a scheduled run is built around it
 */
public record ScheduleSpec(
        String type,
        @Nullable String cronExpression,
        String timezone,
        @Nullable Instant runAt,
        String task) {

    public static final String CRON = "cron";
    public static final String SCHEDULED = "scheduled";
    public static final String IMMEDIATE = "immediate";
}
