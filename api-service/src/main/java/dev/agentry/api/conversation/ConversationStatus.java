package dev.agentry.api.conversation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A conversation's status, as the seed names it on the wire. */
enum ConversationStatus {
    ACTIVE,
    BACKGROUND,
    WAITING_INPUT,
    ARCHIVED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ConversationStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
    }
}
