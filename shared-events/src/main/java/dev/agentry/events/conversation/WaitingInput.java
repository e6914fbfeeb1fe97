package dev.agentry.events.conversation;

/** The assistant asked the user a question and the conversation waits for the answer ({@code waiting_input}). */
public record WaitingInput(String userId, PendingQuestion question) implements ConversationNotice {

    public static final String TYPE = "conversation.waiting_input";

    @Override
    public String type() {
        return TYPE;
    }
}
