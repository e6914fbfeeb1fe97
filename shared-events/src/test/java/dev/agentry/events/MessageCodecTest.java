package dev.agentry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.conversation.ChatMessage;
import dev.agentry.events.conversation.ConversationCommand;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.ConversationState;
import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.InitialState;
import dev.agentry.events.conversation.ModelSettings;
import dev.agentry.events.conversation.NeedsInput;
import dev.agentry.events.conversation.Notify;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.StateUpdate;
import dev.agentry.events.conversation.StopSchedule;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.TurnToolCalled;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.DeleteWorkspace;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskCommand;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskControl;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.events.task.WorkspaceEvent;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec();

    static Stream<Message> everyMessage() {
        var codec = new MessageCodec();
        return Stream.of(
                new RunTask(
                        2,
                        "https://github.com/acme/app.git",
                        "Fix the tests",
                        "claude-code",
                        600,
                        "develop",
                        "claude-sonnet-4-5",
                        20,
                        new BigDecimal("1.50"),
                        List.of(new RunTask.McpServer(
                                "ctx", "npx", List.of("-y", "ctx"), List.of(new SealedSecret("k1:abc")))),
                        new SealedSecret("k1:token"),
                        null,
                        null,
                        null,
                        List.of()),
                new TaskStarted(1, "worker-a", 1, "cloning"),
                new TaskRunning(1, "worker-a"),
                new TaskOutput(1, "stream", "output", codec.mapper().readTree("{\"type\":\"assistant\",\"n\":[1,2]}")),
                new TaskHeartbeat(1, "worker-a", 3),
                new TaskCompleted(
                        1,
                        "done",
                        new Usage(1500, 500, 120, new BigDecimal("0.0123")),
                        new ChangesSummary(3, 45, 12),
                        "session-1"),
                new TaskFailed(1, "clone failed: not found", TaskFailed.FailureReason.CLONE, null, null),
                new CancelTask(2),
                new RunIteration(
                        "worker-a",
                        new RunTask(
                                3,
                                "https://x/y.git",
                                "more",
                                "claude-code",
                                60,
                                null,
                                null,
                                null,
                                null,
                                List.of(),
                                null,
                                null,
                                "session-9",
                                null,
                                List.of())),
                new DeleteWorkspace("worker-a"),
                new CreatePullRequest(
                        "worker-a",
                        2,
                        "https://github.com/acme/app.git",
                        "Fix auth tests",
                        null,
                        "main",
                        "Fix the tests",
                        new SealedSecret("k1:token")),
                new TaskPullRequestCreated(
                        2, "worker-a", "agentry/task-550e8400", 42, "https://github.com/acme/app/pull/42", false),
                new TaskPullRequestFailed(
                        2, "no changes to push", TaskPullRequestFailed.Reason.NO_CHANGES, "agentry/task-550e8400"),
                new WorkspaceReported(
                        "worker-a",
                        123456,
                        java.time.Instant.parse("2026-11-21T10:00:00Z"),
                        java.time.Instant.parse("2026-11-21T11:00:00Z")),
                new WorkspaceRemoved("worker-a", "expired"),
                new RunTurn(
                        UUID.fromString("7d9f0c1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f"),
                        "user-1",
                        RunTurn.TRIGGER_SCHEDULE,
                        Instant.parse("2026-12-01T09:00:00Z"),
                        "Check the price of flights to Lisbon",
                        List.of(
                                new ChatMessage("user", "Watch flights to Lisbon", "chat"),
                                new ChatMessage("assistant", "I will check every morning.", "chat")),
                        new ConversationState(
                                Map.of("destination", "LIS"),
                                "watching",
                                Map.of("best_price", 120, "seen", List.of("TP", "FR")),
                                new PendingQuestion("choice", "Book it?", List.of("yes", "no"))),
                        new ScheduleSpec(ScheduleSpec.CRON, "0 9 * * *", "Europe/Lisbon", null, "Check flights"),
                        new ModelSettings(
                                ModelSettings.ANTHROPIC,
                                "claude-sonnet-4-5",
                                "https://api.anthropic.com",
                                new SealedSecret("k1:abc"))),
                new TurnStarted(UUID.randomUUID(), "worker-a"),
                new TurnDelta(UUID.randomUUID(), "Hello, I "),
                new TurnToolCalled(UUID.randomUUID(), "create_schedule", Map.of("schedule_type", "cron"), "bad cron"),
                new TurnCompleted(
                        UUID.randomUUID(),
                        "Scheduled.",
                        List.of(
                                new CreateSchedule(
                                        new ScheduleSpec(
                                                ScheduleSpec.SCHEDULED,
                                                null,
                                                "UTC",
                                                Instant.parse("2026-12-24T18:00:00Z"),
                                                "Remind me"),
                                        new InitialState(Map.of("who", "me"), "start", null)),
                                new NeedsInput("input", "Which airport?", null),
                                new StateUpdate(Map.of("n", 1), "step-2"),
                                new Notify("Price drop", "Lisbon is 99 EUR"),
                                new StopSchedule()),
                        new Usage(100, 20, 2, null)),
                new TurnFailed(UUID.randomUUID(), TurnFailed.MODEL_UNAVAILABLE, "the model API answered 529"),
                new dev.agentry.events.schedule.ScheduleFired(3, Instant.parse("2026-12-01T09:00:00Z"), true),
                new dev.agentry.events.conversation.MessageCreated(
                        "user-1",
                        UUID.randomUUID(),
                        "assistant",
                        "Booked.",
                        "worker",
                        Instant.parse("2026-12-01T09:00:01.123Z")),
                new dev.agentry.events.conversation.WaitingInput(
                        "user-1",
                        new dev.agentry.events.conversation.PendingQuestion(
                                "choice", "Which day?", List.of("Monday", "Tuesday"))));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void roundTripsEveryMessage(Message message) {
        Envelope<Message> envelope = Envelope.of(UUID.randomUUID(), "tenant-1", message);

        Envelope<?> decoded = codec.decode(codec.encode(envelope));

        assertThat(decoded).isEqualTo(envelope);
    }

    @Test
    void onlyTheEventsThatEndARunOrATurnAreTerminal() {
        List<String> terminal = everyMessage()
                .filter(message -> message instanceof TaskEvent event
                        ? event.terminal()
                        : message instanceof ConversationEvent turnEvent && turnEvent.terminal())
                .map(Message::type)
                .toList();

        assertThat(terminal)
                .containsExactlyInAnyOrder(
                        TaskCompleted.TYPE,
                        TaskFailed.TYPE,
                        TaskPullRequestCreated.TYPE,
                        TurnCompleted.TYPE,
                        TurnFailed.TYPE);
    }

    @Test
    void aRecordIsKeyedByItsAggregateAndCarriesTheRoutingHeaders() {
        Envelope<Message> envelope = Envelope.of(UUID.randomUUID(), "tenant-1", new TaskRunning(1, "worker-a"));

        var record =
                codec.record(Topics.TASK_EVENTS, envelope, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(record.topic()).isEqualTo(Topics.TASK_EVENTS);
        assertThat(record.key()).isEqualTo(envelope.aggregateId().toString());
        assertThat(codec.decode(record.value())).isEqualTo(envelope);
        assertThat(header(record, Headers.MESSAGE_ID)).isEqualTo(envelope.id().toString());
        assertThat(header(record, Headers.MESSAGE_TYPE)).isEqualTo(TaskRunning.TYPE);
        assertThat(header(record, Headers.TRACEPARENT)).startsWith("00-4bf92f35");
        assertThat(codec.record(Topics.TASK_EVENTS, envelope, null).headers().lastHeader(Headers.TRACEPARENT))
                .isNull();
    }

    private static String header(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void everyPermittedMessageHasAWireType() {
        var permitted = Stream.concat(
                        Arrays.stream(TaskCommand.class.getPermittedSubclasses()),
                        Arrays.stream(TaskEvent.class.getPermittedSubclasses()))
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        permitted.addAll(Arrays.asList(TaskControl.class.getPermittedSubclasses()));
        permitted.addAll(Arrays.asList(WorkspaceEvent.class.getPermittedSubclasses()));
        permitted.addAll(Arrays.asList(ConversationCommand.class.getPermittedSubclasses()));
        permitted.addAll(Arrays.asList(ConversationEvent.class.getPermittedSubclasses()));
        permitted.addAll(
                Arrays.asList(dev.agentry.events.conversation.ConversationNotice.class.getPermittedSubclasses()));
        permitted.addAll(Arrays.asList(dev.agentry.events.schedule.ScheduleCommand.class.getPermittedSubclasses()));
        assertThat(List.<Class<?>>copyOf(MessageCodec.types().values())).containsExactlyInAnyOrderElementsOf(permitted);
        assertThat(everyMessage().<Class<?>>map(Object::getClass).toList())
                .containsExactlyInAnyOrderElementsOf(permitted);
    }

    @Test
    void writesStableSnakeCaseWireNames() {
        var envelope = Envelope.of(UUID.randomUUID(), "t", new TaskStarted(1, "w", 1, "cloning"));

        String json = new String(codec.encode(envelope), StandardCharsets.UTF_8);

        assertThat(json)
                .contains("\"type\":\"task.started\"")
                .contains("\"aggregate_id\"")
                .contains("\"worker_id\":\"w\"")
                .doesNotContain("TaskStarted");
    }

    @Test
    void writesTurnActionsTaggedByToolName() {
        var completed = new TurnCompleted(
                UUID.randomUUID(), "ok", List.of(new Notify("t", "b"), new StopSchedule()), new Usage(1, 1, 0, null));

        String json = new String(codec.encode(Envelope.of(UUID.randomUUID(), "t", completed)), StandardCharsets.UTF_8);

        assertThat(json)
                .contains("{\"tool\":\"notify\",\"title\":\"t\",\"body\":\"b\"}")
                .contains("{\"tool\":\"stop_schedule\"}");
    }

    @Test
    void typedDecodersRefuseTheOtherKind() {
        byte[] event = codec.encode(Envelope.of(UUID.randomUUID(), "t", new TurnStarted(UUID.randomUUID(), "w")));

        assertThat(codec.decodeConversationEvent(event).payload()).isInstanceOf(TurnStarted.class);
        assertThatThrownBy(() -> codec.decodeConversationCommand(event))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("conversation.turn.started");
    }

    @Test
    void refusesUnknownTypesAndGarbage() {
        assertThatThrownBy(() -> codec.decode("{\"type\":\"task.exploded\",\"payload\":{}}".getBytes()))
                .isInstanceOf(UndecodableMessageException.class)
                .hasMessageContaining("task.exploded");
        assertThatThrownBy(() -> codec.decode("not json".getBytes())).isInstanceOf(UndecodableMessageException.class);
    }

    @Test
    void neverWritesASecretInPlaintext() {
        var sealer =
                dev.agentry.events.secret.SecretSealer.fromSpec(dev.agentry.events.secret.SecretSealer.newSpec("k1"));
        var command = new RunTask(
                1,
                "https://x/y.git",
                "p",
                "claude-code",
                60,
                null,
                null,
                null,
                null,
                List.of(),
                sealer.seal("ghp_supersecret"),
                sealer.seal("sk-ant-secret"),
                null,
                null,
                List.of());

        String json = new String(codec.encode(Envelope.of(UUID.randomUUID(), "t", command)), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("ghp_supersecret").doesNotContain("sk-ant-secret");
        var decoded =
                (RunTask) codec.decode(json.getBytes(StandardCharsets.UTF_8)).payload();
        assertThat(sealer.open(decoded.accessToken())).isEqualTo("ghp_supersecret");
    }
}
