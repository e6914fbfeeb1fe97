package dev.agentry.events.conversation;

import dev.agentry.events.Message;

/**
 * Something the API projected in a conversation that its tenant's webhooks may carry, published by the API (through
 * its outbox, in the transaction that wrote it) on {@code agentry.conversation.notices}; the scheduler turns each
 * into signed deliveries. The aggregate id is the conversation id.
 */
public sealed interface ConversationNotice extends Message permits MessageCreated, WaitingInput {

    /** The conversation's user. */
    String userId();
}
