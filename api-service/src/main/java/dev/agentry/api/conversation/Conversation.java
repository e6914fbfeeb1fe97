package dev.agentry.api.conversation;

import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.ScheduleSpec;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A conversation as stored: its owner, status, schedule and state. Immutable; the {@link ConversationStateMachine}
 * makes the changed copies.
 *
 * @param scheduleVersion bumped on every change of the schedule; the scheduler fires per version
 * @param pausedAt set while the schedule is paused (it keeps its columns but does not fire)
 * @param nextRunAt the next firing as the API shows it; null without a schedule or while paused
 */
record Conversation(
        UUID id,
        String tenantId,
        String userId,
        String title,
        ConversationStatus status,
        @Nullable ScheduleSpec schedule,
        int scheduleVersion,
        @Nullable Instant pausedAt,
        @Nullable Instant nextRunAt,
        Map<String, Object> context,
        String step,
        Map<String, Object> data,
        @Nullable PendingQuestion pendingQuestion,
        Instant createdAt,
        Instant updatedAt) {

    static final String NOT_FOUND = "Conversation not found";

    Conversation withTitle(String title) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                pendingQuestion,
                createdAt,
                updatedAt);
    }

    Conversation withStatus(ConversationStatus status) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                pendingQuestion,
                createdAt,
                updatedAt);
    }

    Conversation withQuestion(@Nullable PendingQuestion question) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                question,
                createdAt,
                updatedAt);
    }

    Conversation withState(Map<String, Object> context, String step, Map<String, Object> data) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                pendingQuestion,
                createdAt,
                updatedAt);
    }

    /** A new schedule (or none), under a new version: the scheduler forgets the old one. */
    Conversation withSchedule(
            @Nullable ScheduleSpec schedule, @Nullable Instant pausedAt, @Nullable Instant nextRunAt) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion + 1,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                pendingQuestion,
                createdAt,
                updatedAt);
    }

    /** The same schedule and version, with its next firing moved (after a firing of a cron schedule). */
    Conversation withNextRunAt(@Nullable Instant nextRunAt) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                pendingQuestion,
                createdAt,
                updatedAt);
    }

    Conversation touched(Instant now) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                pendingQuestion,
                createdAt,
                now);
    }

    boolean hasSchedule() {
        return schedule != null;
    }

    /** Whether anything the seed shows differs from {@code other}: status, schedule, state or title. */
    boolean differsFrom(Conversation other) {
        return !withTimes(other).equals(other);
    }

    private Conversation withTimes(Conversation other) {
        return new Conversation(
                id,
                tenantId,
                userId,
                title,
                status,
                schedule,
                scheduleVersion,
                pausedAt,
                nextRunAt,
                context,
                step,
                data,
                pendingQuestion,
                other.createdAt,
                other.updatedAt);
    }
}
