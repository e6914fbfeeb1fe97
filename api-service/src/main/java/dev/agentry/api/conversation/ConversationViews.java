package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationMessages.StoredMessage;
import dev.agentry.api.owned.SeedJson;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.ScheduleSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Seed 003's JSON objects: camelCase, wrapped, nulls written. */
final class ConversationViews {

    private ConversationViews() {}

    @SeedJson
    record ConversationView(
            UUID id,
            String userId,
            String title,
            String status,
            @Nullable ScheduleView schedule,
            @Nullable Instant nextRunAt,
            StateView state,
            Instant createdAt,
            Instant updatedAt) {

        static ConversationView of(Conversation c) {
            ScheduleSpec s = c.schedule();
            return new ConversationView(
                    c.id(),
                    c.userId(),
                    c.title(),
                    c.status().wire(),
                    s == null
                            ? null
                            : new ScheduleView(
                                    s.type(),
                                    s.cronExpression(),
                                    millis(s.runAt()),
                                    s.timezone(),
                                    s.task(),
                                    c.pausedAt() != null),
                    millis(c.nextRunAt()),
                    new StateView(c.context(), c.step(), c.data(), question(c.pendingQuestion())),
                    millis(c.createdAt()),
                    millis(c.updatedAt()));
        }
    }

    /** The seed's {@code {type, cronExpression, runAt}}, plus the zone, the task and whether it is paused. */
    @SeedJson
    record ScheduleView(
            String type,
            @Nullable String cronExpression,
            @Nullable Instant runAt,
            String timezone,
            String task,
            boolean paused) {}

    @SeedJson
    record StateView(
            Map<String, Object> context,
            String step,
            Map<String, Object> data,
            @Nullable QuestionView pendingQuestion) {}

    @SeedJson
    record QuestionView(
            String type, String prompt, @Nullable List<String> options) {}

    @SeedJson
    record MessageView(UUID id, UUID conversationId, String role, String content, String source, Instant createdAt) {

        static MessageView of(StoredMessage m) {
            return new MessageView(
                    m.id(), m.conversationId(), m.role(), m.content(), m.source(), millis(m.createdAt()));
        }
    }

    @SeedJson
    record One(ConversationView conversation) {}

    @SeedJson
    record Many(List<ConversationView> conversations) {}

    @SeedJson
    record WithMessages(ConversationView conversation, List<MessageView> messages) {}

    @SeedJson
    record Paused(ConversationView conversation, boolean paused) {}

    @SeedJson
    record Resumed(ConversationView conversation, boolean resumed) {}

    @SeedJson
    record Triggered(ConversationView conversation, Instant triggeredAt, UUID turnId) {}

    /** The seed's answer to a message; {@link SendAccepted} when the reply is not there within the wait. */
    @SeedJson
    record SendReply(
            MessageView message,
            @Nullable MessageView assistantMessage,
            boolean conversationUpdated,
            @Nullable String newStatus) {}

    /** 202: the turn goes on, and its reply will show up in {@code GET /api/conversations/{id}}. */
    @SeedJson
    record SendAccepted(
            MessageView message,
            @Nullable MessageView assistantMessage,
            boolean conversationUpdated,
            @Nullable String newStatus,
            UUID turnId,
            String status) {}

    @SeedJson
    record CreateRequest(@Nullable String title) {}

    @SeedJson
    record PatchRequest(@Nullable String title, @Nullable String status) {}

    @SeedJson
    record SendRequest(@Nullable String content) {}

    private static @Nullable QuestionView question(@Nullable PendingQuestion q) {
        return q == null ? null : new QuestionView(q.type(), q.prompt(), q.options());
    }

    static @Nullable Instant millis(@Nullable Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
