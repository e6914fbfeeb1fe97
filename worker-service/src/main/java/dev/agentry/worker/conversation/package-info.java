/**
 * Conversation turns: {@code ConversationTurns} is the {@link dev.agentry.worker.queue.CommandHandler} of
 * {@code agentry.conversation.commands}, so the queue's slots take one {@code RunTurn} each; a turn runs the
 * assistant's tool loop against the model and publishes its events on {@code agentry.conversation.events} through
 * the worker's one publisher, and the command is accepted once the terminal event is on Kafka.
 */
@NullMarked
package dev.agentry.worker.conversation;

import org.jspecify.annotations.NullMarked;
