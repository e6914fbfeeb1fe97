package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationMessages.StoredMessage;
import dev.agentry.api.outbox.Outbox;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.MessageCreated;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.WaitingInput;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Publishes what the tenant's webhooks may carry about a conversation ({@code conversation.message.created},
 * {@code conversation.waiting_input}) through the outbox, in the transaction that wrote it: nothing is announced that
 * did not commit, and nothing committed goes unannounced. Whether any tenant receives it is the scheduler's business
 * (its subscription), so every message is published.
 */
@Component
class ConversationNotices {

    private final Outbox outbox;

    ConversationNotices(Outbox outbox) {
        this.outbox = outbox;
    }

    void messageCreated(Conversation c, StoredMessage message) {
        publish(
                c,
                new MessageCreated(
                        c.userId(),
                        message.id(),
                        message.role(),
                        message.content(),
                        message.source(),
                        message.createdAt()));
    }

    /** Announces {@code after}'s question if the change from {@code before} to it asked a new one. */
    void waitingInputIfAsked(Conversation before, Conversation after) {
        PendingQuestion question = after.pendingQuestion();
        if (after.status() != ConversationStatus.WAITING_INPUT || question == null) {
            return;
        }
        if (before.status() == ConversationStatus.WAITING_INPUT && Objects.equals(before.pendingQuestion(), question)) {
            return;
        }
        publish(after, new WaitingInput(after.userId(), question));
    }

    private void publish(Conversation c, dev.agentry.events.conversation.ConversationNotice notice) {
        outbox.append(Topics.CONVERSATION_NOTICES, Envelope.of(c.id(), c.tenantId(), notice), Map.of());
    }
}
