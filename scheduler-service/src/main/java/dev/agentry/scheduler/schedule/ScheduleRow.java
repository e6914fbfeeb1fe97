package dev.agentry.scheduler.schedule;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A row of the {@code scheduler_conversation_schedules} view: a schedule that may fire. */
record ScheduleRow(
        UUID conversationId,
        String tenantId,
        String scheduleType,
        @Nullable String cronExpression,
        String timezone,
        @Nullable Instant runAt,
        @Nullable Instant nextRunAt,
        int scheduleVersion) {

    static final String CRON = "cron";
    static final String SCHEDULED = "scheduled";
    static final String IMMEDIATE = "immediate";
}
