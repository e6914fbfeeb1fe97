package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationMessages.StoredMessage;
import dev.agentry.api.conversation.ConversationTurns.NewTurn;
import dev.agentry.api.conversation.ConversationTurns.Turn;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.owned.Owner;
import dev.agentry.events.conversation.RunTurn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A user message and the turn that answers it. Accepting writes the message, the turn and its {@code RunTurn} in
 * one transaction; the worker runs it and the projector writes the reply. Waiting is event-driven: the projector's
 * signal (local, or from another instance through PostgreSQL NOTIFY) wakes the request, which reads the turn.
 */
@Service
class TurnService {

    private static final Logger log = LoggerFactory.getLogger(TurnService.class);

    private final Conversations conversations;
    private final ConversationMessages messages;
    private final ConversationTurns turns;
    private final TurnCommands commands;
    private final TurnCompletions completions;
    private final TransactionTemplate transactions;
    private final ConversationProperties properties;
    private final ConversationNotices notices;

    TurnService(
            Conversations conversations,
            ConversationMessages messages,
            ConversationTurns turns,
            TurnCommands commands,
            TurnCompletions completions,
            TransactionTemplate transactions,
            ConversationProperties properties,
            ConversationNotices notices) {
        this.conversations = conversations;
        this.messages = messages;
        this.turns = turns;
        this.commands = commands;
        this.completions = completions;
        this.transactions = transactions;
        this.properties = properties;
        this.notices = notices;
    }

    record Accepted(UUID turnId, StoredMessage message) {}

    /** What the wait found: the turn (ended or not) and, once it completed, the assistant's message. */
    record Outcome(Turn turn, @Nullable StoredMessage assistantMessage) {}

    Accepted accept(Owner owner, UUID conversationId, @Nullable String content) {
        return accept(owner, conversationId, content, UUID.randomUUID());
    }

    /** As {@link #accept(Owner, UUID, String)}, for a turn id chosen beforehand (a stream subscribes to it first). */
    Accepted accept(Owner owner, UUID conversationId, @Nullable String content, UUID turnId) {
        if (content == null || content.isBlank()) {
            throw new InvalidRequestException("invalid request", "Message content is required");
        }
        if (content.getBytes(StandardCharsets.UTF_8).length > properties.maxContentBytes()) {
            throw new InvalidRequestException(
                    "invalid request", "Message content must be at most " + properties.maxContentBytes() + " bytes");
        }
        Accepted accepted = transactions.execute(tx -> {
            Instant now = ConversationService.now();
            Conversation before = conversations.get(owner, conversationId, true);
            Conversation after =
                    ConversationStateMachine.userMessage(before, now).touched(now);
            conversations.update(after);
            StoredMessage message = messages.insert(after, turnId, "user", content, RunTurn.TRIGGER_CHAT, now);
            notices.messageCreated(after, message);
            turns.insert(new NewTurn(
                    turnId,
                    after,
                    RunTurn.TRIGGER_CHAT,
                    ConversationTurns.QUEUED,
                    before.status(),
                    null,
                    message.id(),
                    null,
                    false,
                    null,
                    after.differsFrom(before),
                    now));
            // The stored conversation no longer waits, but the turn must know which question this message answers.
            commands.send(after.withQuestion(before.pendingQuestion()), turnId, RunTurn.TRIGGER_CHAT, null);
            return new Accepted(turnId, message);
        });
        log.info("Conversation {} took a message; turn {} is queued.", conversationId, turnId);
        return accepted;
    }

    /** Waits until the turn ends or {@code agentry.api.conversations.turn-wait} passes, whichever is first. */
    Outcome await(UUID turnId) throws InterruptedException {
        return await(turnId, properties.turnWait());
    }

    Outcome await(UUID turnId, Duration wait) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (true) {
            CompletableFuture<Void> signal = completions.next(turnId);
            Outcome outcome = read(turnId);
            Duration left = Duration.between(Instant.now(), deadline);
            if (outcome.turn().terminal() || left.isNegative() || left.isZero()) {
                return outcome;
            }
            TurnCompletions.await(signal, left);
        }
    }

    /** The turn as it is now, with its assistant message once it has one. */
    Outcome read(UUID turnId) {
        Turn turn = turns.find(turnId).orElseThrow(() -> new NotFoundException("not found", Conversation.NOT_FOUND));
        UUID assistant = turn.assistantMessageId();
        return new Outcome(
                turn, assistant == null ? null : messages.find(assistant).orElse(null));
    }
}
