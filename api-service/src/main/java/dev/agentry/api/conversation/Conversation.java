package dev.agentry.api.conversation;

import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.ScheduleSpec;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
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
        return with(d -> d.title = title);
    }

    Conversation withStatus(ConversationStatus status) {
        return with(d -> d.status = status);
    }

    Conversation withQuestion(@Nullable PendingQuestion question) {
        return with(d -> d.pendingQuestion = question);
    }

    Conversation withState(Map<String, Object> context, String step, Map<String, Object> data) {
        return with(d -> {
            d.context = context;
            d.step = step;
            d.data = data;
        });
    }

    /** A new schedule (or none), under a new version: the scheduler forgets the old one. */
    Conversation withSchedule(
            @Nullable ScheduleSpec schedule, @Nullable Instant pausedAt, @Nullable Instant nextRunAt) {
        return with(d -> {
            d.schedule = schedule;
            d.scheduleVersion = scheduleVersion + 1;
            d.pausedAt = pausedAt;
            d.nextRunAt = nextRunAt;
        });
    }

    /** The same schedule and version, with its next firing moved (after a firing of a cron schedule). */
    Conversation withNextRunAt(@Nullable Instant nextRunAt) {
        return with(d -> d.nextRunAt = nextRunAt);
    }

    Conversation touched(Instant now) {
        return with(d -> d.updatedAt = now);
    }

    boolean hasSchedule() {
        return schedule != null;
    }

    /** Whether anything the seed shows differs from {@code other}: status, schedule, state or title. */
    boolean differsFrom(Conversation other) {
        return !with(d -> {
                    d.createdAt = other.createdAt;
                    d.updatedAt = other.updatedAt;
                })
                .equals(other);
    }

    private Conversation with(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /** A changeable copy, so each change above names only what it changes. */
    private static final class Draft {
        final UUID id;
        final String tenantId;
        final String userId;
        String title;
        ConversationStatus status;

        @Nullable
        ScheduleSpec schedule;

        int scheduleVersion;

        @Nullable
        Instant pausedAt;

        @Nullable
        Instant nextRunAt;

        Map<String, Object> context;
        String step;
        Map<String, Object> data;

        @Nullable
        PendingQuestion pendingQuestion;

        Instant createdAt;
        Instant updatedAt;

        Draft(Conversation c) {
            id = c.id;
            tenantId = c.tenantId;
            userId = c.userId;
            title = c.title;
            status = c.status;
            schedule = c.schedule;
            scheduleVersion = c.scheduleVersion;
            pausedAt = c.pausedAt;
            nextRunAt = c.nextRunAt;
            context = c.context;
            step = c.step;
            data = c.data;
            pendingQuestion = c.pendingQuestion;
            createdAt = c.createdAt;
            updatedAt = c.updatedAt;
        }

        Conversation build() {
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
    }
}
