package dev.agentry.events.conversation;

/** End the conversation's schedule; it returns to {@code active}. */
public record StopSchedule() implements TurnAction {

    public static final String TOOL = "stop_schedule";
}
