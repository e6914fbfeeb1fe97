package dev.agentry.api.conversation;

import static dev.agentry.api.conversation.ConversationStatus.ACTIVE;
import static dev.agentry.api.conversation.ConversationStatus.ARCHIVED;
import static dev.agentry.api.conversation.ConversationStatus.BACKGROUND;
import static dev.agentry.api.conversation.ConversationStatus.WAITING_INPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.InitialState;
import dev.agentry.events.conversation.NeedsInput;
import dev.agentry.events.conversation.Notify;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.StateUpdate;
import dev.agentry.events.conversation.StopSchedule;
import dev.agentry.events.conversation.TurnAction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every transition of the state machine, as a table: start, what happens, where it ends. */
class ConversationStateMachineTest {

    private static final Instant NOW = Instant.parse("2026-03-10T06:30:00Z");
    private static final ScheduleSpec CRON = new ScheduleSpec("cron", "0 8 * * *", "Europe/Berlin", null, "weather");
    private static final ScheduleSpec ONCE =
            new ScheduleSpec("scheduled", null, "UTC", Instant.parse("2026-03-11T09:00:00Z"), "remind");
    private static final ScheduleSpec NOW_ONCE = new ScheduleSpec("immediate", null, "UTC", null, "now");
    private static final PendingQuestion QUESTION = new PendingQuestion("choice", "Which?", List.of("A", "B"));

    private static Conversation conversation(
            ConversationStatus status, @Nullable ScheduleSpec schedule, @Nullable PendingQuestion question) {
        return new Conversation(
                UUID.randomUUID(),
                "t",
                "u",
                "Plans",
                status,
                schedule,
                3,
                null,
                schedule == null ? null : Instant.parse("2026-03-10T07:00:00Z"),
                Map.of(),
                "initial",
                Map.of("kept", 1),
                question,
                NOW,
                NOW);
    }

    private static Function<Conversation, Conversation> actions(boolean scheduledRun, TurnAction... actions) {
        return c -> ConversationStateMachine.apply(c, List.of(actions), scheduledRun, NOW)
                .conversation();
    }

    /**
     * @param schedule the schedule type expected afterwards, null for none
     * @param question whether a question is pending afterwards
     * @param versionBumped whether the schedule version changed (the scheduler must drop its cursor)
     */
    record Row(
            String name,
            Conversation start,
            Function<Conversation, Conversation> change,
            ConversationStatus status,
            @Nullable String schedule,
            boolean question,
            boolean versionBumped) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> transitions() {
        CreateSchedule cron = new CreateSchedule(CRON, null);
        NeedsInput ask = new NeedsInput("input", "When?", null);
        return Stream.of(
                // PATCH
                new Row(
                        "patch active -> archived",
                        conversation(ACTIVE, null, null),
                        c -> ConversationStateMachine.patch(c, ARCHIVED),
                        ARCHIVED,
                        null,
                        false,
                        false),
                new Row(
                        "patch background -> archived stops the schedule",
                        conversation(BACKGROUND, CRON, null),
                        c -> ConversationStateMachine.patch(c, ARCHIVED),
                        ARCHIVED,
                        null,
                        false,
                        true),
                new Row(
                        "patch waiting_input -> archived drops question and schedule",
                        conversation(WAITING_INPUT, CRON, QUESTION),
                        c -> ConversationStateMachine.patch(c, ARCHIVED),
                        ARCHIVED,
                        null,
                        false,
                        true),
                new Row(
                        "patch archived -> active",
                        conversation(ARCHIVED, null, null),
                        c -> ConversationStateMachine.patch(c, ACTIVE),
                        ACTIVE,
                        null,
                        false,
                        false),
                new Row(
                        "patch background -> active stops the schedule",
                        conversation(BACKGROUND, CRON, null),
                        c -> ConversationStateMachine.patch(c, ACTIVE),
                        ACTIVE,
                        null,
                        false,
                        true),
                new Row(
                        "patch waiting_input -> active drops the question",
                        conversation(WAITING_INPUT, null, QUESTION),
                        c -> ConversationStateMachine.patch(c, ACTIVE),
                        ACTIVE,
                        null,
                        false,
                        false),
                new Row(
                        "patch active -> active changes nothing",
                        conversation(ACTIVE, null, null),
                        c -> ConversationStateMachine.patch(c, ACTIVE),
                        ACTIVE,
                        null,
                        false,
                        false),
                // a user message
                new Row(
                        "message to active",
                        conversation(ACTIVE, null, null),
                        c -> ConversationStateMachine.userMessage(c, NOW),
                        ACTIVE,
                        null,
                        false,
                        false),
                new Row(
                        "message to background",
                        conversation(BACKGROUND, CRON, null),
                        c -> ConversationStateMachine.userMessage(c, NOW),
                        BACKGROUND,
                        "cron",
                        false,
                        false),
                new Row(
                        "answer without a schedule -> active",
                        conversation(WAITING_INPUT, null, QUESTION),
                        c -> ConversationStateMachine.userMessage(c, NOW),
                        ACTIVE,
                        null,
                        false,
                        false),
                new Row(
                        "answer with a schedule -> background",
                        conversation(WAITING_INPUT, CRON, QUESTION),
                        c -> ConversationStateMachine.userMessage(c, NOW),
                        BACKGROUND,
                        "cron",
                        false,
                        false),
                // a turn's actions
                new Row(
                        "create_schedule cron -> background",
                        conversation(ACTIVE, null, null),
                        actions(false, cron),
                        BACKGROUND,
                        "cron",
                        false,
                        true),
                new Row(
                        "create_schedule scheduled -> background",
                        conversation(ACTIVE, null, null),
                        actions(false, new CreateSchedule(ONCE, null)),
                        BACKGROUND,
                        "scheduled",
                        false,
                        true),
                new Row(
                        "create_schedule while waiting clears the question",
                        conversation(WAITING_INPUT, null, QUESTION),
                        actions(false, cron),
                        BACKGROUND,
                        "cron",
                        false,
                        true),
                new Row(
                        "create_schedule with a bad cron is refused",
                        conversation(ACTIVE, null, null),
                        actions(
                                false,
                                new CreateSchedule(new ScheduleSpec("cron", "61 * * * *", "UTC", null, "x"), null)),
                        ACTIVE,
                        null,
                        false,
                        false),
                new Row(
                        "needs_input -> waiting_input",
                        conversation(ACTIVE, null, null),
                        actions(false, ask),
                        WAITING_INPUT,
                        null,
                        true,
                        false),
                new Row(
                        "needs_input from a background run keeps the schedule",
                        conversation(BACKGROUND, CRON, null),
                        actions(true, ask),
                        WAITING_INPUT,
                        "cron",
                        true,
                        false),
                new Row(
                        "needs_input while waiting keeps the new question",
                        conversation(WAITING_INPUT, null, QUESTION),
                        actions(false, ask),
                        WAITING_INPUT,
                        null,
                        true,
                        false),
                new Row(
                        "state_update changes no status",
                        conversation(BACKGROUND, CRON, null),
                        actions(true, new StateUpdate(Map.of("n", 2), "two")),
                        BACKGROUND,
                        "cron",
                        false,
                        false),
                new Row(
                        "notify changes no status",
                        conversation(ACTIVE, null, null),
                        actions(false, new Notify("t", "b")),
                        ACTIVE,
                        null,
                        false,
                        false),
                new Row(
                        "stop_schedule -> active",
                        conversation(BACKGROUND, CRON, null),
                        actions(true, new StopSchedule()),
                        ACTIVE,
                        null,
                        false,
                        true),
                new Row(
                        "stop_schedule while a question waits",
                        conversation(WAITING_INPUT, CRON, QUESTION),
                        actions(false, new StopSchedule()),
                        WAITING_INPUT,
                        null,
                        true,
                        true),
                new Row(
                        "needs_input then create_schedule: in order",
                        conversation(ACTIVE, null, null),
                        actions(false, ask, cron),
                        BACKGROUND,
                        "cron",
                        false,
                        true),
                new Row(
                        "create_schedule then needs_input: in order",
                        conversation(ACTIVE, null, null),
                        actions(false, cron, ask),
                        WAITING_INPUT,
                        "cron",
                        true,
                        true),
                new Row(
                        "an archived conversation takes no schedule",
                        conversation(ARCHIVED, null, null),
                        actions(true, cron, ask),
                        ARCHIVED,
                        null,
                        false,
                        false),
                // the end of a scheduled run
                new Row(
                        "an immediate schedule ends with its run",
                        conversation(BACKGROUND, NOW_ONCE, null),
                        c -> ConversationStateMachine.finishOneTime(c, 3),
                        ACTIVE,
                        null,
                        false,
                        true),
                new Row(
                        "a one-time run that asked keeps waiting",
                        conversation(WAITING_INPUT, ONCE, QUESTION),
                        c -> ConversationStateMachine.finishOneTime(c, 3),
                        WAITING_INPUT,
                        null,
                        true,
                        true),
                new Row(
                        "a cron schedule goes on",
                        conversation(BACKGROUND, CRON, null),
                        c -> ConversationStateMachine.finishOneTime(c, 3),
                        BACKGROUND,
                        "cron",
                        false,
                        false),
                new Row(
                        "a one-time schedule replaced since the firing stays",
                        conversation(BACKGROUND, ONCE, null),
                        c -> ConversationStateMachine.finishOneTime(c, 2),
                        BACKGROUND,
                        "scheduled",
                        false,
                        false),
                // pause and resume
                new Row(
                        "pause keeps the schedule, under a new version",
                        conversation(BACKGROUND, CRON, null),
                        c -> ConversationStateMachine.pause(c, NOW),
                        BACKGROUND,
                        "cron",
                        false,
                        true),
                new Row(
                        "resume",
                        ConversationStateMachine.pause(conversation(BACKGROUND, CRON, null), NOW),
                        c -> ConversationStateMachine.resume(c, NOW),
                        BACKGROUND,
                        "cron",
                        false,
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transitions")
    void transition(Row row) {
        Conversation end = row.change().apply(row.start());

        assertThat(end.status()).isEqualTo(row.status());
        assertThat(end.schedule() == null ? null : end.schedule().type()).isEqualTo(row.schedule());
        assertThat(end.pendingQuestion() != null).isEqualTo(row.question());
        assertThat(end.scheduleVersion() != row.start().scheduleVersion()).isEqualTo(row.versionBumped());
        if (end.schedule() == null) {
            assertThat(end.nextRunAt()).isNull();
        }
    }

    @Test
    void refusedRequestsNameTheProblem() {
        assertThatThrownBy(() -> ConversationStateMachine.userMessage(conversation(ARCHIVED, null, null), NOW))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot send messages to archived conversation");
        assertThatThrownBy(() -> ConversationStateMachine.patch(conversation(ACTIVE, null, null), BACKGROUND))
                .hasMessage("Invalid status: must be active or archived");
        assertThatThrownBy(() -> ConversationStateMachine.patch(conversation(ACTIVE, null, null), WAITING_INPUT))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ConversationStateMachine.pause(conversation(ACTIVE, null, null), NOW))
                .hasMessage("Can only pause background agents");
        assertThatThrownBy(() -> ConversationStateMachine.resume(conversation(WAITING_INPUT, CRON, QUESTION), NOW))
                .hasMessage("Can only resume background agents");
        assertThatThrownBy(() -> ConversationStateMachine.requireRunnable(conversation(ARCHIVED, null, null)))
                .hasMessage("Can only run background agents");
    }

    @Test
    void nextRunIsTheCronInstantInItsZoneTheRunAtOrNow() {
        Conversation cron = ConversationStateMachine.apply(
                        conversation(ACTIVE, null, null), List.of(new CreateSchedule(CRON, null)), false, NOW)
                .conversation();
        Conversation once = ConversationStateMachine.apply(
                        conversation(ACTIVE, null, null), List.of(new CreateSchedule(ONCE, null)), false, NOW)
                .conversation();
        Conversation immediate = ConversationStateMachine.apply(
                        conversation(ACTIVE, null, null), List.of(new CreateSchedule(NOW_ONCE, null)), false, NOW)
                .conversation();

        assertThat(cron.nextRunAt()).isEqualTo(Instant.parse("2026-03-10T07:00:00Z"));
        assertThat(once.nextRunAt()).isEqualTo(ONCE.runAt());
        assertThat(immediate.nextRunAt()).isEqualTo(NOW);
        assertThat(ConversationStateMachine.fired(cron, Instant.parse("2026-03-10T07:00:00Z"))
                        .nextRunAt())
                .isEqualTo(Instant.parse("2026-03-11T07:00:00Z"));
        assertThat(ConversationStateMachine.fired(once, NOW).nextRunAt()).isNull();
    }

    @Test
    void initialStateAndStateUpdatesShapeTheState() {
        Conversation scheduled = ConversationStateMachine.apply(
                        conversation(ACTIVE, null, null),
                        List.of(
                                new CreateSchedule(CRON, new InitialState(Map.of("city", "Oslo"), "s1", null)),
                                new StateUpdate(Map.of("seen", 3), null)),
                        false,
                        NOW)
                .conversation();

        assertThat(scheduled.context()).containsEntry("city", "Oslo");
        assertThat(scheduled.step()).isEqualTo("s1");
        assertThat(scheduled.data()).containsEntry("kept", 1).containsEntry("seen", 3);
    }

    @Test
    void notificationsComeFromNotifyAndFromQuestionsOfScheduledRuns() {
        NeedsInput ask = new NeedsInput("confirmation", "Go on?", null);

        var chat = ConversationStateMachine.apply(conversation(ACTIVE, null, null), List.of(ask), false, NOW);
        var background = ConversationStateMachine.apply(
                conversation(BACKGROUND, CRON, null), List.of(new Notify("Done", "All good"), ask), true, NOW);

        assertThat(chat.notices()).isEmpty();
        assertThat(background.notices())
                .containsExactly(
                        new ConversationStateMachine.Notice("Done", "All good"),
                        new ConversationStateMachine.Notice("Plans", "Go on?"));
    }
}
