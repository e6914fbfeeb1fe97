package dev.agentry.scheduler.schedule;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A claimed cursor whose {@code nextFireAt} has come, with the schedule it belongs to. */
record DueCursor(
        UUID conversationId,
        String tenantId,
        int scheduleVersion,
        Instant nextFireAt,
        String scheduleType,
        @Nullable String cronExpression,
        String timezone) {}
