package dev.agentry.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = {"agentry.api.stream.keepalive=300ms", "agentry.api.stream.idle-timeout=2s"})
class TaskStreamTest extends ApiIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void streamsConnectedThenLiveEventsInOrderThenDone() throws Exception {
        UUID id = task();
        try (SseClient sse = open(id, null)) {
            SseClient.Event connected = sse.next(WAIT);
            assertThat(connected.name()).isEqualTo("connected");
            assertThat(json.readTree(connected.data()).get("status").asString()).isEqualTo("pending");

            publishEvent(id, new TaskStarted(1, "w", 1, "cloning"));
            publishEvent(id, new TaskRunning(1, "w"));
            for (int i = 0; i < 50; i++) {
                publishEvent(id, new TaskOutput(1, "stream", "output", json.readTree("{\"n\":" + i + "}")));
            }
            publishEvent(id, new TaskCompleted(1, "ok", Usage.none(1), ChangesSummary.NONE, null));

            List<SseClient.Event> events = sse.untilClosed(WAIT);
            assertThat(events).hasSize(54);
            for (int i = 0; i < 53; i++) {
                assertThat(events.get(i).id()).isEqualTo(Long.toString(i + 1));
                assertThat(events.get(i).name()).isEqualTo("message");
            }
            var third = json.readTree(events.get(2).data());
            assertThat(third.get("type").asString()).isEqualTo("stream");
            assertThat(third.get("event").asString()).isEqualTo("output");
            assertThat(third.at("/data/n").asInt()).isZero();
            assertThat(third.get("ts").asString()).isNotBlank();
            assertThat(events.getLast().name()).isEqualTo("done");
            assertThat(json.readTree(events.getLast().data()).get("status").asString())
                    .isEqualTo("completed");
        }
    }

    @Test
    void aTerminalTaskGetsHistoryAndDoneAtOnceAndResumesAfterLastEventId() throws Exception {
        UUID id = task();
        publishEvent(id, new TaskStarted(1, "w", 1, "running"));
        publishEvent(id, new TaskOutput(1, "cli", "output", json.readTree("{\"line\":\"a\"}")));
        publishEvent(id, new TaskCompleted(1, "ok", Usage.none(1), ChangesSummary.NONE, null));
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> get("/api/v1/tasks/" + id)
                        .json()
                        .get("status")
                        .asString()
                        .equals("completed"));

        try (SseClient full = open(id, null);
                SseClient resumed = open(id, "2")) {
            List<SseClient.Event> all = full.untilClosed(WAIT);
            List<SseClient.Event> rest = resumed.untilClosed(WAIT);

            assertThat(all)
                    .extracting(SseClient.Event::name)
                    .containsExactly("connected", "message", "message", "message", "done");
            assertThat(rest).extracting(SseClient.Event::name).containsExactly("connected", "message", "done");
            assertThat(rest.get(1).id()).isEqualTo("3");
        }
    }

    @Test
    void idleStreamsGetKeepalivesThenTimeout() throws Exception {
        UUID id = task();
        try (SseClient sse = open(id, null)) {
            assertThat(sse.next(WAIT).name()).isEqualTo("connected");
            assertThat(sse.next(WAIT)).isSameAs(SseClient.COMMENT);

            List<SseClient.Event> rest = sse.untilClosed(WAIT);

            assertThat(rest).extracting(SseClient.Event::name).containsExactly("timeout");
        }
    }

    @Test
    void anotherTenantsStreamIsNotFound() throws Exception {
        UUID id = task();
        try (SseClient sse = new SseClient(url(id), OTHER_TOKEN, null)) {
            assertThat(sse.status()).isEqualTo(404);
        }
        assertThat(get("/api/v1/tasks/" + id + "/stream", "nope").status()).isEqualTo(401);
    }

    private UUID task() {
        return UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"s\"}"));
    }

    private String url(UUID id) {
        return "http://127.0.0.1:" + port + "/api/v1/tasks/" + id + "/stream";
    }

    private SseClient open(UUID id, String lastEventId) throws Exception {
        return new SseClient(url(id), TOKEN, lastEventId);
    }
}
