package dev.agentry.worker.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.InitialState;
import dev.agentry.events.conversation.NeedsInput;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.StateUpdate;
import dev.agentry.events.conversation.StopSchedule;
import dev.agentry.worker.conversation.ConversationTools.Accepted;
import dev.agentry.worker.conversation.ConversationTools.Outcome;
import dev.agentry.worker.conversation.ConversationTools.Refused;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The check of each tool call, on a fixed clock: what becomes an action, and what the model is told otherwise. */
class ConversationToolsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final ConversationTools tools = new ConversationTools(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsEachScheduleTypeWithItsFields() {
        assertThat(tools.check("create_schedule", Map.of("type", "immediate", "task", "now")))
                .isEqualTo(new Accepted(
                        new CreateSchedule(new ScheduleSpec("immediate", null, "UTC", null, "now"), null),
                        "Scheduled to run right away."));
        assertThat(tools.check(
                        "create_schedule",
                        Map.of(
                                "type",
                                "scheduled",
                                "run_at",
                                "2026-12-24T18:00",
                                "timezone",
                                "Europe/Berlin",
                                "task",
                                "x")))
                .extracting(o ->
                        ((CreateSchedule) ((Accepted) o).action()).schedule().runAt())
                .as("a local date-time is read in the schedule's zone")
                .isEqualTo(Instant.parse("2026-12-24T17:00:00Z"));
        Outcome cron = tools.check(
                "create_schedule",
                Map.of(
                        "type", "cron",
                        "cron_expression", "30 10 * * *",
                        "task", "daily",
                        "initial_state", Map.of("context", Map.of("a", 1), "step", "s1")));
        assertThat(cron.result()).isEqualTo("Scheduled; the first run is at 2026-12-01T10:30:00Z.");
        assertThat(((CreateSchedule) ((Accepted) cron).action()).initialState())
                .isEqualTo(new InitialState(Map.of("a", 1), "s1", null));
    }

    @Test
    void acceptsTheOtherTools() {
        assertThat(((Accepted) tools.check(
                                "needs_input",
                                Map.of("type", "choice", "prompt", "Which?", "options", List.of("A", "B"))))
                        .action())
                .isEqualTo(new NeedsInput("choice", "Which?", List.of("A", "B")));
        assertThat(((Accepted) tools.check("state_update", Map.of("data", Map.of("n", 2)))).action())
                .isEqualTo(new StateUpdate(Map.of("n", 2), null));
        assertThat(((Accepted) tools.check("stop_schedule", Map.of())).action()).isEqualTo(new StopSchedule());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "create_schedule | {\"type\":\"weekly\",\"task\":\"t\"} | create_schedule.type must be cron, scheduled or immediate",
                "create_schedule | {\"type\":\"cron\",\"task\":\"t\"} | create_schedule.cron_expression is required",
                "create_schedule | {\"type\":\"cron\",\"cron_expression\":\"* * *\",\"task\":\"t\"} | Invalid cron expression",
                "create_schedule | {\"type\":\"immediate\"} | create_schedule.task is required",
                "create_schedule | {\"type\":\"immediate\",\"task\":\"t\",\"timezone\":\"EST5\"} | Unknown time zone: EST5",
                "create_schedule | {\"type\":\"scheduled\",\"task\":\"t\",\"run_at\":\"tomorrow\"} | not an ISO-8601 date-time",
                "create_schedule | {\"type\":\"scheduled\",\"task\":\"t\",\"run_at\":\"2026-12-01T09:59:00Z\"} | is in the past",
                "create_schedule | {\"type\":\"immediate\",\"task\":\"t\",\"initial_state\":\"x\"} | initial_state must be an object",
                "needs_input | {\"type\":\"choice\",\"prompt\":\"Which?\"} | needs_input of type choice needs options",
                "needs_input | {\"type\":\"input\",\"prompt\":\"Which?\",\"options\":[1]} | needs_input.options must be an array of strings",
                "needs_input | {\"type\":\"poll\",\"prompt\":\"Which?\"} | needs_input.type must be",
                "state_update | {\"step\":\"s\"} | state_update.data must be an object",
                "notify | {\"title\":\"t\"} | notify.body is required",
                "send_email | {} | Unknown tool: send_email",
            })
    void refusesInvalidCallsNamingTheProblem(String tool, String input, String problem) {
        Map<String, Object> parsed = TurnPromptsTest.JSON.readValue(input, TurnPromptsTest.OBJECT);

        assertThat(tools.check(tool, parsed))
                .isInstanceOfSatisfying(
                        Refused.class, refused -> assertThat(refused.result()).contains(problem));
    }
}
