/**
 * The conversation contract: the API asks a worker to run one assistant turn ({@link RunTurn} on
 * {@code agentry.conversation.commands}); the worker reports the turn as it goes ({@link ConversationEvent} on
 * {@code agentry.conversation.events}), ending with exactly one terminal {@link TurnCompleted} or
 * {@link TurnFailed}; the API announces what the tenant's webhooks may carry ({@link ConversationNotice} on
 * {@code agentry.conversation.notices}). The aggregate id and record key of every message is the conversation id.
 */
@NullMarked
package dev.agentry.events.conversation;

import org.jspecify.annotations.NullMarked;
