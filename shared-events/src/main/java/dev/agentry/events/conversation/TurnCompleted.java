package dev.agentry.events.conversation;

import dev.agentry.events.task.Usage;
import java.util.List;
import java.util.UUID;

/**
 * The turn finished.
 *
 * @param reply the assistant's text, the message the conversation shows
 * @param actions the accepted tool calls, in the order the model made them; the API applies them in this order
 * @param usage the tokens every model call of the turn consumed, summed
 */
public record TurnCompleted(UUID turnId, String reply, List<TurnAction> actions, Usage usage)
        implements ConversationEvent {

    public static final String TYPE = "conversation.turn.completed";

    public TurnCompleted {
        actions = List.copyOf(actions);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
