package dev.agentry.events.conversation;

/**
 * One message of a conversation's history.
 *
 * @param role {@code user}, {@code assistant} or {@code system}
 * @param source {@code chat} (written in a chat turn) or {@code worker} (written by a scheduled run)
 */
public record ChatMessage(String role, String content, String source) {}
