package dev.agentry.events.conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Run one assistant turn of a conversation: build the prompt from the history and state, call the model, answer
 * its tool calls, and report the reply and the accepted actions.
 *
 * @param turnId the {@code conversation_turns} row this run answers for; every event of the run carries it
 * @param userId the conversation's owner
 * @param trigger {@code chat} (a user message), {@code schedule} (a firing) or {@code run_now}
 * @param scheduledFor for a scheduled run, the fire time it stands for
 * @param scheduleTask for a scheduled run, the schedule's task, which the worker prompt is built around
 * @param history the messages so far, oldest first; the API bounds it (last 100 messages, 256 KiB)
 * @param state the conversation's state (context, step, data, pending question)
 * @param schedule the conversation's current schedule, if any
 * @param model which provider and model to call, and with which key
 */
public record RunTurn(
        UUID turnId,
        String userId,
        String trigger,
        @Nullable Instant scheduledFor,
        @Nullable String scheduleTask,
        List<ChatMessage> history,
        ConversationState state,
        @Nullable ScheduleSpec schedule,
        ModelSettings model)
        implements ConversationCommand {

    public static final String TYPE = "conversation.turn";

    public static final String TRIGGER_CHAT = "chat";
    public static final String TRIGGER_SCHEDULE = "schedule";
    public static final String TRIGGER_RUN_NOW = "run_now";

    public RunTurn {
        history = List.copyOf(history);
    }

    @Override
    public String type() {
        return TYPE;
    }
}
