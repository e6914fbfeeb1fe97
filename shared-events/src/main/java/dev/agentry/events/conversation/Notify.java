package dev.agentry.events.conversation;

/** Tell the user something important, as a notification. */
public record Notify(String title, String body) implements TurnAction {

    public static final String TOOL = "notify";
}
