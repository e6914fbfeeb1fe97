package dev.agentry.events.conversation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ask the user something and wait for the answer.
 *
 * @param type {@code confirmation}, {@code choice} or {@code input}
 * @param options the choices, for {@code choice}
 */
public record NeedsInput(
        String type, String prompt, @Nullable List<String> options) implements TurnAction {

    public static final String TOOL = "needs_input";
}
