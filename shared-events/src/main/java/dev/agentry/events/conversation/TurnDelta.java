package dev.agentry.events.conversation;

import java.util.UUID;

/** A piece of the assistant's reply as the model streams it, coalesced into chunks of reasonable size. */
public record TurnDelta(UUID turnId, String text) implements ConversationEvent {

    public static final String TYPE = "conversation.turn.delta";

    @Override
    public String type() {
        return TYPE;
    }
}
