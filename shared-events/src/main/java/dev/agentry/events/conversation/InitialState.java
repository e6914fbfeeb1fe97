package dev.agentry.events.conversation;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The state a new schedule starts from; a null part leaves that part of the state as it is. */
public record InitialState(
        @Nullable Map<String, Object> context,
        @Nullable String step,
        @Nullable Map<String, Object> data) {}
