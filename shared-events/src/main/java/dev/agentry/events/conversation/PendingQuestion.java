package dev.agentry.events.conversation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A question the assistant asked the user and waits on.
 *
 * @param type {@code confirmation}, {@code choice} or {@code input}
 * @param options the choices, for {@code choice}
 */
public record PendingQuestion(
        String type, String prompt, @Nullable List<String> options) {}
