/**
 * Conversation turns: a share-group consumer of {@code agentry.conversation.commands} takes one {@code RunTurn} per
 * slot, runs the assistant's tool loop against the model and publishes the turn's events on
 * {@code agentry.conversation.events}, accepting the command once the terminal event is on Kafka.
 */
@NullMarked
package dev.agentry.worker.conversation;

import org.jspecify.annotations.NullMarked;
