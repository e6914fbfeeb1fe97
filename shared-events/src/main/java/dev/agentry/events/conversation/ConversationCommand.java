package dev.agentry.events.conversation;

import dev.agentry.events.Message;

/** What the platform asks workers to do for a conversation. Published on {@code agentry.conversation.commands}. */
public sealed interface ConversationCommand extends Message permits RunTurn {}
