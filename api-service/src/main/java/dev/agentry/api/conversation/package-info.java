/**
 * Seed 003's conversations: the REST endpoints, the per-user read model, the state machine, and the turns that run
 * on workers through Kafka. A user message becomes a {@code RunTurn} in the outbox; the projector writes the
 * worker's reply and actions back; the scheduler's firings become scheduled turns.
 */
@NullMarked
package dev.agentry.api.conversation;

import org.jspecify.annotations.NullMarked;
