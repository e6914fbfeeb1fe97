package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationTurns.NewTurn;
import dev.agentry.events.Envelope;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.schedule.ScheduleFired;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns the scheduler's firings into scheduled turns, one transaction each, at most once per (conversation, fire
 * time): the turn's unique key makes a duplicate firing a no-op. A firing that may not run is recorded as a
 * skipped turn with the reason: the previous turn is still queued or running, the firing is for a schedule version
 * that is no longer the conversation's, or the conversation has no schedule, is paused, archived or waiting for
 * its user. Otherwise the turn's {@code RunTurn} (trigger {@code schedule}) goes to the outbox.
 */
@Service
class ScheduleFirings {

    private static final Logger log = LoggerFactory.getLogger(ScheduleFirings.class);

    private final Conversations conversations;
    private final ConversationTurns turns;
    private final TurnCommands commands;
    private final ConversationProperties properties;
    private final Counter queued;
    private final Counter skipped;
    private final Counter duplicates;

    ScheduleFirings(
            Conversations conversations,
            ConversationTurns turns,
            TurnCommands commands,
            ConversationProperties properties,
            MeterRegistry meters) {
        this.conversations = conversations;
        this.turns = turns;
        this.commands = commands;
        this.properties = properties;
        this.queued = counter(meters, "queued");
        this.skipped = counter(meters, "skipped");
        this.duplicates = counter(meters, "duplicate");
    }

    @Transactional
    public void fire(Envelope<ScheduleFired> envelope) {
        ScheduleFired fired = envelope.payload();
        Conversation c = conversations.lock(envelope.aggregateId()).orElse(null);
        if (c == null || !c.tenantId().equals(envelope.tenantId())) {
            log.info(
                    "Firing {} is for conversation {}, which is gone; ignored.", envelope.id(), envelope.aggregateId());
            return;
        }
        Instant now = ConversationService.now();
        String skip = skipReason(c, fired);
        UUID turnId = UUID.randomUUID();
        boolean recorded = turns.insert(new NewTurn(
                turnId,
                c,
                RunTurn.TRIGGER_SCHEDULE,
                skip == null ? ConversationTurns.QUEUED : ConversationTurns.SKIPPED,
                c.status(),
                fired.scheduleVersion(),
                null,
                fired.fireTime(),
                fired.catchUp(),
                skip,
                false,
                now));
        if (!recorded) {
            duplicates.increment();
            log.info("Firing of conversation {} at {} was seen before; ignored.", c.id(), fired.fireTime());
            return;
        }
        if (skip != null) {
            skipped.increment();
            log.info("Firing of conversation {} at {} skipped: {}.", c.id(), fired.fireTime(), skip);
            return;
        }
        Conversation next = ConversationStateMachine.fired(c, now);
        conversations.update(next);
        commands.send(next, turnId, RunTurn.TRIGGER_SCHEDULE, fired.fireTime());
        queued.increment();
        log.info("Firing of conversation {} at {} runs as turn {}.", c.id(), fired.fireTime(), turnId);
    }

    private @Nullable String skipReason(Conversation c, ScheduleFired fired) {
        if (!c.hasSchedule()) {
            return "the conversation has no schedule";
        }
        if (fired.scheduleVersion() != c.scheduleVersion()) {
            return "schedule version " + fired.scheduleVersion() + " is not the current " + c.scheduleVersion();
        }
        if (c.pausedAt() != null) {
            return "the schedule is paused";
        }
        if (c.status() != ConversationStatus.BACKGROUND) {
            return "the conversation is " + c.status().wire();
        }
        if (turns.inFlight(c.id(), properties.staleTurnAfter())) {
            return "the previous turn is still queued or running";
        }
        return null;
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("agentry.conversation.firings")
                .description("Schedule firings the API received, by what it did with them")
                .tag("outcome", outcome)
                .register(meters);
    }
}
