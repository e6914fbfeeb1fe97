package dev.agentry.events.conversation;

import org.jspecify.annotations.Nullable;

/** Give the conversation a schedule (replacing any), so it works in the background. */
public record CreateSchedule(
        ScheduleSpec schedule, @Nullable InitialState initialState) implements TurnAction {

    public static final String TOOL = "create_schedule";
}
