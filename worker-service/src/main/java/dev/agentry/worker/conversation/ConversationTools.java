package dev.agentry.worker.conversation;

import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.InitialState;
import dev.agentry.events.conversation.NeedsInput;
import dev.agentry.events.conversation.Notify;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.StateUpdate;
import dev.agentry.events.conversation.StopSchedule;
import dev.agentry.events.conversation.TurnAction;
import dev.agentry.events.schedule.CronSchedule;
import dev.agentry.worker.llm.ModelRequest.ToolDefinition;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The assistant's tools, as issue 11 defines them, and the check of each call: a valid call becomes a
 * {@link TurnAction}; an unknown tool or an invalid input becomes a sentence for the model naming the problem.
 */
final class ConversationTools {

    private static final Set<String> SCHEDULE_TYPES =
            Set.of(ScheduleSpec.CRON, ScheduleSpec.SCHEDULED, ScheduleSpec.IMMEDIATE);
    private static final Set<String> QUESTION_TYPES = Set.of("confirmation", "choice", "input");

    static final List<ToolDefinition> DEFINITIONS = List.of(
            new ToolDefinition(
                    CreateSchedule.TOOL,
                    "Give this conversation background work: a recurring cron schedule, a one-time run at a given"
                            + " instant, or one run right away. Replaces any schedule it has. Each run continues"
                            + " this conversation with its state and does the task.",
                    schema(
                            Map.of(
                                    "type",
                                            enumOf(
                                                    "cron (recurring), scheduled (once at run_at) or immediate"
                                                            + " (once, now)",
                                                    SCHEDULE_TYPES),
                                    "cron_expression",
                                            string("for cron: five fields, minute hour day-of-month"
                                                    + " month day-of-week, such as 0 9 * * 1-5"),
                                    "timezone",
                                            string("IANA time zone the cron expression is evaluated in, such"
                                                    + " as Europe/Berlin; default UTC"),
                                    "run_at",
                                            string("for scheduled: an ISO-8601 instant in the future, such as"
                                                    + " 2026-12-24T18:00:00Z"),
                                    "task", string("what each background run should do, in your own words"),
                                    "initial_state",
                                            Map.of(
                                                    "type", "object",
                                                    "description", "the state the background work starts from",
                                                    "properties",
                                                            Map.of(
                                                                    "context", Map.of("type", "object"),
                                                                    "step", Map.of("type", "string"),
                                                                    "data", Map.of("type", "object")))),
                            List.of("type", "task"))),
            new ToolDefinition(
                    NeedsInput.TOOL,
                    "Ask the user a question and wait for the answer before going on.",
                    schema(
                            Map.of(
                                    "type",
                                            enumOf(
                                                    "confirmation (yes/no), choice (one of options) or input (free"
                                                            + " text)",
                                                    QUESTION_TYPES),
                                    "prompt", string("the question"),
                                    "options",
                                            Map.of(
                                                    "type", "array",
                                                    "items", Map.of("type", "string"),
                                                    "description", "for choice: the answers to choose from")),
                            List.of("type", "prompt"))),
            new ToolDefinition(
                    StateUpdate.TOOL,
                    "Remember progress: merge data into the conversation's state data, and set the step.",
                    schema(
                            Map.of(
                                    "data", Map.of("type", "object", "description", "keys to merge into state data"),
                                    "step", string("the step the work is at now")),
                            List.of("data"))),
            new ToolDefinition(
                    Notify.TOOL,
                    "Send the user a notification about something important.",
                    schema(
                            Map.of("title", string("short title"), "body", string("the message")),
                            List.of("title", "body"))),
            new ToolDefinition(
                    StopSchedule.TOOL, "End this conversation's background work.", schema(Map.of(), List.of())));

    private final Clock clock;

    ConversationTools(Clock clock) {
        this.clock = clock;
    }

    /** What became of one tool call. */
    sealed interface Outcome {
        /** The result text the model gets back. */
        String result();
    }

    record Accepted(TurnAction action, String result) implements Outcome {}

    record Refused(String result) implements Outcome {}

    Outcome check(String tool, Map<String, Object> input) {
        try {
            return switch (tool) {
                case CreateSchedule.TOOL -> createSchedule(input);
                case NeedsInput.TOOL -> needsInput(input);
                case StateUpdate.TOOL ->
                    new Accepted(
                            new StateUpdate(object(input, "state_update", "data", true), optionalString(input, "step")),
                            "State updated.");
                case Notify.TOOL ->
                    new Accepted(
                            new Notify(
                                    requiredString(input, "notify", "title"), requiredString(input, "notify", "body")),
                            "Notification sent.");
                case StopSchedule.TOOL -> new Accepted(new StopSchedule(), "Background work stopped.");
                default ->
                    new Refused("Unknown tool: " + tool + ". The tools are "
                            + DEFINITIONS.stream().map(ToolDefinition::name).toList() + ".");
            };
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
    }

    private Outcome createSchedule(Map<String, Object> input) {
        String type = requiredString(input, "create_schedule", "type");
        if (!SCHEDULE_TYPES.contains(type)) {
            throw new InvalidInput("create_schedule.type must be cron, scheduled or immediate, not " + type);
        }
        String task = requiredString(input, "create_schedule", "task");
        String timezone = optionalString(input, "timezone");
        timezone = timezone == null || timezone.isBlank() ? "UTC" : timezone;
        String cron = null;
        Instant runAt = null;
        Instant now = clock.instant();
        String result;
        try {
            CronSchedule.zone(timezone);
            switch (type) {
                case ScheduleSpec.CRON -> {
                    cron = requiredString(input, "create_schedule", "cron_expression");
                    result = "Scheduled; the first run is at "
                            + CronSchedule.parse(cron, timezone).nextAfter(now) + ".";
                }
                case ScheduleSpec.SCHEDULED -> {
                    runAt = instant(requiredString(input, "create_schedule", "run_at"), timezone);
                    if (!runAt.isAfter(now)) {
                        throw new InvalidInput(
                                "create_schedule.run_at " + runAt + " is in the past (now is " + now + ")");
                    }
                    result = "Scheduled for " + runAt + ".";
                }
                default -> result = "Scheduled to run right away.";
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("create_schedule: " + e.getMessage());
        }
        return new Accepted(
                new CreateSchedule(new ScheduleSpec(type, cron, timezone, runAt, task), initialState(input)), result);
    }

    private static @Nullable InitialState initialState(Map<String, Object> input) {
        Object value = input.get("initial_state");
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidInput("create_schedule.initial_state must be an object");
        }
        Map<String, Object> state = cast(value);
        Map<String, Object> context = object(state, "create_schedule.initial_state", "context", false);
        Map<String, Object> data = object(state, "create_schedule.initial_state", "data", false);
        return new InitialState(
                state.containsKey("context") ? context : null,
                optionalString(state, "step"),
                state.containsKey("data") ? data : null);
    }

    private static Outcome needsInput(Map<String, Object> input) {
        String type = requiredString(input, "needs_input", "type");
        if (!QUESTION_TYPES.contains(type)) {
            throw new InvalidInput("needs_input.type must be confirmation, choice or input, not " + type);
        }
        String prompt = requiredString(input, "needs_input", "prompt");
        List<String> options = null;
        Object value = input.get("options");
        if (value != null) {
            if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                throw new InvalidInput("needs_input.options must be an array of strings");
            }
            options = list.stream().map(String.class::cast).toList();
        }
        if (type.equals("choice") && (options == null || options.isEmpty())) {
            throw new InvalidInput("needs_input of type choice needs options");
        }
        return new Accepted(new NeedsInput(type, prompt, options), "Question asked; the user will answer.");
    }

    private static Instant instant(String text, String timezone) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text)
                        .atZone(CronSchedule.zone(timezone))
                        .toInstant();
            } catch (DateTimeParseException again) {
                throw new InvalidInput("create_schedule.run_at is not an ISO-8601 date-time: " + text);
            }
        }
    }

    private static String requiredString(Map<String, Object> input, String tool, String field) {
        Object value = input.get(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new InvalidInput(tool + "." + field + " is required and must be a non-empty string");
        }
        return text;
    }

    private static @Nullable String optionalString(Map<String, Object> input, String field) {
        Object value = input.get(field);
        if (value != null && !(value instanceof String)) {
            throw new InvalidInput(field + " must be a string");
        }
        return (String) value;
    }

    private static Map<String, Object> object(Map<String, Object> input, String tool, String field, boolean required) {
        Object value = input.get(field);
        if (value == null && !required) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidInput(tool + "." + field + " must be an object");
        }
        return cast(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required);
    }

    private static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    private static Map<String, Object> enumOf(String description, Set<String> values) {
        return Map.of(
                "type",
                "string",
                "description",
                description,
                "enum",
                values.stream().sorted().toList());
    }

    /** An input the model must correct; its message is the tool result. */
    private static final class InvalidInput extends RuntimeException {
        InvalidInput(String message) {
            super(message, null, false, false);
        }
    }
}
