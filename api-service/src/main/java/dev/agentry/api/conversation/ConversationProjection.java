package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationMessages.StoredMessage;
import dev.agentry.api.conversation.ConversationStateMachine.Notice;
import dev.agentry.api.conversation.ConversationStateMachine.Outcome;
import dev.agentry.api.conversation.ConversationTurns.Finish;
import dev.agentry.api.conversation.ConversationTurns.Turn;
import dev.agentry.api.notification.Notifications;
import dev.agentry.events.Envelope;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.TurnAction;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.TurnToolCalled;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes a turn's events into the read model, one event per transaction. Idempotent on the envelope id, and
 * monotonic: once a turn has ended, later events of it change nothing. The terminal event writes the assistant's
 * message ({@code chat} for chat turns, {@code worker} for scheduled ones), applies the turn's actions in order
 * through the {@link ConversationStateMachine}, writes the notifications they ask for, ends the turn, and wakes the
 * request waiting for it, on this instance and (through NOTIFY) on the others.
 */
@Service
class ConversationProjection {

    private static final Logger log = LoggerFactory.getLogger(ConversationProjection.class);

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final ConversationMessages messages;
    private final ConversationTurns turns;
    private final Notifications notifications;
    private final TurnCompletions completions;
    private final ConversationNotices notices;

    ConversationProjection(
            JdbcClient jdbc,
            Conversations conversations,
            ConversationMessages messages,
            ConversationTurns turns,
            Notifications notifications,
            TurnCompletions completions,
            ConversationNotices notices) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.messages = messages;
        this.turns = turns;
        this.notifications = notifications;
        this.completions = completions;
        this.notices = notices;
    }

    @Transactional
    public void apply(Envelope<ConversationEvent> envelope) {
        ConversationEvent event = envelope.payload();
        if (event instanceof TurnDelta || event instanceof TurnToolCalled) {
            return;
        }
        if (!firstSight(envelope.id())) {
            return;
        }
        Turn turn = turns.lock(event.turnId()).orElse(null);
        if (turn == null
                || !turn.tenantId().equals(envelope.tenantId())
                || !turn.conversationId().equals(envelope.aggregateId())) {
            log.warn(
                    "Event {} ({}) is for turn {}, unknown here; skipped.",
                    envelope.id(),
                    envelope.type(),
                    event.turnId());
            return;
        }
        if (turn.terminal()) {
            return;
        }
        switch (event) {
            case TurnStarted started -> turns.started(turn.id(), started.workerId(), envelope.occurredAt());
            case TurnCompleted completed -> end(turn, completed.reply(), "assistant", completed.actions(), null);
            case TurnFailed failed -> end(turn, failureText(turn, failed), "system", List.of(), failed);
            case TurnDelta delta -> {}
            case TurnToolCalled called -> {}
        }
    }

    private void end(Turn turn, String text, String role, List<TurnAction> actions, @Nullable TurnFailed failure) {
        Conversation start = conversations.lock(turn.conversationId()).orElse(null);
        if (start == null) {
            return;
        }
        Instant now = ConversationService.now();
        boolean scheduledRun = !RunTurn.TRIGGER_CHAT.equals(turn.trigger());
        StoredMessage message = messages.insert(start, turn.id(), role, text, scheduledRun ? "worker" : "chat", now);
        notices.messageCreated(start, message);
        Outcome outcome = ConversationStateMachine.apply(start, actions, scheduledRun, now);
        outcome.refused()
                .forEach(r -> log.warn("Turn {} of conversation {}: action refused, {}.", turn.id(), start.id(), r));
        Conversation end = outcome.conversation();
        if (scheduledRun && turn.scheduleVersion() != null) {
            end = ConversationStateMachine.finishOneTime(end, turn.scheduleVersion());
        }
        end = end.touched(now);
        conversations.update(end);
        notices.waitingInputIfAsked(start, end);
        for (Notice notice : outcome.notices()) {
            notifications.create(end.tenantId(), end.userId(), end.id(), notice.title(), notice.body());
        }
        if (failure != null && scheduledRun) {
            notifications.create(end.tenantId(), end.userId(), end.id(), "Task error", text);
        }
        String newStatus = end.status().wire().equals(turn.statusBefore())
                ? null
                : end.status().wire();
        turns.finish(
                turn.id(),
                new Finish(
                        failure == null ? ConversationTurns.COMPLETED : ConversationTurns.FAILED,
                        message.id(),
                        turn.conversationUpdated() || end.differsFrom(start),
                        newStatus,
                        failure == null ? null : failure.reason() + ": " + failure.error(),
                        now));
        TurnSignals.notifyEnded(jdbc, turn.id());
        UUID turnId = turn.id();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                completions.signal(turnId);
            }
        });
        log.info(
                "Turn {} of conversation {} ended: {}.",
                turn.id(),
                end.id(),
                failure == null ? "completed" : failure.reason());
    }

    private static String failureText(Turn turn, TurnFailed failed) {
        return RunTurn.TRIGGER_CHAT.equals(turn.trigger())
                ? "The assistant could not answer: " + failed.error()
                : "The background run failed: " + failed.error();
    }

    private boolean firstSight(UUID eventId) {
        return jdbc.sql("insert into conversation_processed_events (event_id) values (?) on conflict do nothing")
                        .param(eventId)
                        .update()
                > 0;
    }
}
