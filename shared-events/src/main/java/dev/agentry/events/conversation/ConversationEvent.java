package dev.agentry.events.conversation;

import dev.agentry.events.Message;
import java.util.UUID;

/**
 * What happened in a turn, in the order it happened. Published on {@code agentry.conversation.events}. Every
 * turn ends with exactly one terminal event: {@link TurnCompleted} or {@link TurnFailed}.
 */
public sealed interface ConversationEvent extends Message
        permits TurnStarted, TurnDelta, TurnToolCalled, TurnCompleted, TurnFailed {

    UUID turnId();

    /** Whether this event ends its turn: the one place that knows the terminal kinds. */
    default boolean terminal() {
        return this instanceof TurnCompleted || this instanceof TurnFailed;
    }
}
