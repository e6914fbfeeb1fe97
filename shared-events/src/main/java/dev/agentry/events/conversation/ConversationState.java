package dev.agentry.events.conversation;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's working state, as the assistant keeps it between turns.
 *
 * @param context what the conversation is about, set by {@code create_schedule}'s initial state
 * @param step where the work is, free text the model chooses
 * @param data what the model has stored with {@code state_update}
 * @param pendingQuestion the question the conversation waits on, while it is {@code waiting_input}
 */
public record ConversationState(
        Map<String, Object> context,
        String step,
        Map<String, Object> data,
        @Nullable PendingQuestion pendingQuestion) {

    public static ConversationState empty() {
        return new ConversationState(Map.of(), "", Map.of(), null);
    }
}
