package dev.agentry.events.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * A message was added to a conversation: the user's, the assistant's (a chat turn's or a scheduled run's), or a
 * {@code system} note of a failed run.
 *
 * @param role {@code user}, {@code assistant} or {@code system}
 * @param source {@code chat} or {@code worker}
 */
public record MessageCreated(
        String userId, UUID messageId, String role, String content, String source, Instant createdAt)
        implements ConversationNotice {

    public static final String TYPE = "conversation.message.created";

    @Override
    public String type() {
        return TYPE;
    }
}
