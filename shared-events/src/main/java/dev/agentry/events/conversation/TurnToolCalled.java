package dev.agentry.events.conversation;

import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The model called a tool.
 *
 * @param tool the tool's name as the model sent it
 * @param input the tool input as the model sent it
 * @param error set when the call was refused (unknown tool, invalid input) and an error {@code tool_result}
 *     went back to the model; such a call is not among the turn's actions
 */
public record TurnToolCalled(
        UUID turnId,
        String tool,
        Map<String, Object> input,
        @Nullable String error) implements ConversationEvent {

    public static final String TYPE = "conversation.turn.tool_called";

    @Override
    public String type() {
        return TYPE;
    }
}
