package dev.agentry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
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
import java.util.Arrays;
import java.util.List;
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
                        null),
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
                                "session-9")),
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
                new WorkspaceRemoved("worker-a", "expired"));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void roundTripsEveryMessage(Message message) {
        Envelope<Message> envelope = Envelope.of(UUID.randomUUID(), "tenant-1", message);

        Envelope<?> decoded = codec.decode(codec.encode(envelope));

        assertThat(decoded).isEqualTo(envelope);
    }

    @Test
    void everyPermittedMessageHasAWireType() {
        var permitted = Stream.concat(
                        Arrays.stream(TaskCommand.class.getPermittedSubclasses()),
                        Arrays.stream(TaskEvent.class.getPermittedSubclasses()))
                .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
        permitted.addAll(Arrays.asList(TaskControl.class.getPermittedSubclasses()));
        permitted.addAll(Arrays.asList(WorkspaceEvent.class.getPermittedSubclasses()));
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
                sealer.seal("sk-ant-secret"));

        String json = new String(codec.encode(Envelope.of(UUID.randomUUID(), "t", command)), StandardCharsets.UTF_8);

        assertThat(json).doesNotContain("ghp_supersecret").doesNotContain("sk-ant-secret");
        var decoded =
                (RunTask) codec.decode(json.getBytes(StandardCharsets.UTF_8)).payload();
        assertThat(sealer.open(decoded.accessToken())).isEqualTo("ghp_supersecret");
    }
}
