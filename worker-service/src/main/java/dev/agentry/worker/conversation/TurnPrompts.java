package dev.agentry.worker.conversation;

import dev.agentry.events.conversation.ChatMessage;
import dev.agentry.events.conversation.ConversationState;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.worker.llm.ModelMessage;
import dev.agentry.worker.llm.ModelMessage.AssistantText;
import dev.agentry.worker.llm.ModelMessage.UserText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The system prompt and transcript of a turn. A chat turn gets the assistant's prompt; a scheduled run gets the
 * background worker's prompt around the schedule's task, with the state laid out as the source project's worker
 * prompt does (context, current step, state data). The state travels as JSON; the tools are real tool
 * definitions, so the model is never asked to write JSON into its text.
 */
final class TurnPrompts {

    private static final String CHAT = """
            You are the assistant of a conversation in Agentry. Answer the user helpfully and concisely.
            You act on the conversation only through your tools, never by writing JSON in your reply:
            - create_schedule when the user wants work done in the background: recurring (cron, in the user's \
            time zone when known), once at a given time (scheduled), or once right away (immediate). Describe the \
            work in task, so each background run knows what to do.
            - needs_input when you cannot go on without a decision or information from the user.
            - state_update to remember facts and progress in the conversation's state.
            - notify to send the user a notification about something important.
            - stop_schedule when the user wants the background work to end.
            A tool that answers with an error did nothing: correct the call or tell the user.""";

    private static final String BACKGROUND = """
            You are executing background work for a conversation.
            Based on the conversation context and current state, take the next appropriate action for the task.
            Record progress with state_update (data, and step for the next step). Ask the user with needs_input \
            when you cannot go on without them. Tell the user about important results with notify. Call \
            stop_schedule when the work is finished for good. Your reply is posted in the conversation as a \
            background update: keep it short. Never write JSON in your reply; act through the tools.""";

    private final JsonMapper json;

    TurnPrompts(JsonMapper json) {
        this.json = json;
    }

    String system(RunTurn turn, Instant now) {
        boolean background = !turn.trigger().equals(RunTurn.TRIGGER_CHAT);
        StringBuilder prompt = new StringBuilder(background ? BACKGROUND : CHAT).append("\n\n");
        prompt.append("CURRENT TIME: ").append(now).append('\n');
        if (background) {
            prompt.append("TASK: ").append(task(turn)).append('\n');
            if (turn.scheduledFor() != null) {
                prompt.append("THIS RUN WAS SCHEDULED FOR: ")
                        .append(turn.scheduledFor())
                        .append('\n');
            }
        }
        ConversationState state = turn.state();
        prompt.append("CONVERSATION CONTEXT: ")
                .append(json.writeValueAsString(state.context()))
                .append('\n');
        prompt.append("CURRENT STEP: ")
                .append(state.step().isBlank() ? "initial" : state.step())
                .append('\n');
        prompt.append("CURRENT STATE DATA: ")
                .append(json.writeValueAsString(state.data()))
                .append('\n');
        prompt.append("SCHEDULE: ").append(schedule(turn.schedule())).append('\n');
        PendingQuestion question = state.pendingQuestion();
        if (question != null && !background) {
            prompt.append("The user is responding to your question (")
                    .append(question.type())
                    .append("): \"")
                    .append(question.prompt())
                    .append('"');
            if (question.options() != null) {
                prompt.append(" with the options ").append(json.writeValueAsString(question.options()));
            }
            prompt.append('\n');
        }
        return prompt.toString();
    }

    /**
     * The history as alternating user and assistant messages, starting and ending with the user as the APIs
     * want: system messages and background updates are marked as such, consecutive messages of one side are
     * joined, and a scheduled run ends with the instruction to continue the task.
     */
    List<ModelMessage> transcript(RunTurn turn) {
        List<String[]> entries = new ArrayList<>();
        for (ChatMessage message : turn.history()) {
            if (message.content().isBlank()) {
                // The Messages API refuses empty text blocks (a turn that only called tools replies with none).
                continue;
            }
            boolean assistant = message.role().equals("assistant");
            String text = switch (message.role()) {
                case "system" -> "[system] " + message.content();
                default -> message.source().equals("worker") ? "[background] " + message.content() : message.content();
            };
            add(entries, assistant ? "assistant" : "user", text);
        }
        if (!turn.trigger().equals(RunTurn.TRIGGER_CHAT)) {
            add(entries, "user", "Continue the background task: " + task(turn));
        } else if (entries.isEmpty() || !entries.getLast()[0].equals("user")) {
            add(entries, "user", "(The user sent nothing new; continue.)");
        }
        if (!entries.getFirst()[0].equals("user")) {
            entries.addFirst(new String[] {"user", "(Conversation start.)"});
        }
        return entries.stream()
                .<ModelMessage>map(e -> e[0].equals("user") ? new UserText(e[1]) : new AssistantText(e[1]))
                .toList();
    }

    private static void add(List<String[]> entries, String role, String text) {
        if (!entries.isEmpty() && entries.getLast()[0].equals(role)) {
            entries.getLast()[1] = entries.getLast()[1] + "\n\n" + text;
        } else {
            entries.add(new String[] {role, text});
        }
    }

    private static String task(RunTurn turn) {
        if (turn.scheduleTask() != null && !turn.scheduleTask().isBlank()) {
            return turn.scheduleTask();
        }
        return turn.schedule() == null
                ? "the conversation's background work"
                : turn.schedule().task();
    }

    private String schedule(@Nullable ScheduleSpec schedule) {
        if (schedule == null) {
            return "none";
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", schedule.type());
        if (schedule.cronExpression() != null) {
            fields.put("cron_expression", schedule.cronExpression());
        }
        fields.put("timezone", schedule.timezone());
        if (schedule.runAt() != null) {
            fields.put("run_at", schedule.runAt().toString());
        }
        fields.put("task", schedule.task());
        return json.writeValueAsString(fields);
    }
}
