package dev.agentry.events.conversation;

import java.util.UUID;

/** A worker took the turn and is calling the model. */
public record TurnStarted(UUID turnId, String workerId) implements ConversationEvent {

    public static final String TYPE = "conversation.turn.started";

    @Override
    public String type() {
        return TYPE;
    }
}
