package dev.agentry.cli;

import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Event: its {@code event} name ({@code message} when the server gave none), its {@code data}, and
 * the stream's last event id as of this event (ids persist across events, as the SSE specification says).
 */
record SseEvent(String name, String data, @Nullable String lastEventId) {

    static final String UNNAMED = "message";

    boolean unnamed() {
        return name.equals(UNNAMED);
    }
}
