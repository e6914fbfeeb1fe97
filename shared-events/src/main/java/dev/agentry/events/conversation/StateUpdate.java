package dev.agentry.events.conversation;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Store progress in the conversation's state.
 *
 * @param data merged into the state's data
 * @param step the new step; null leaves it as it is
 */
public record StateUpdate(
        Map<String, Object> data, @Nullable String step) implements TurnAction {

    public static final String TOOL = "state_update";
}
