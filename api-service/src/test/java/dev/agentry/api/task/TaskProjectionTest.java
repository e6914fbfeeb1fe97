package dev.agentry.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.Envelope;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskProjectionTest extends ApiIntegrationTest {

    @Test
    void projectsALifecycleIntoStateAndAnOrderedLog() {
        UUID id = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}"));

        publishEvent(id, new TaskStarted(1, "w1", 1, "cloning"));
        publishEvent(id, new TaskRunning(1, "w1"));
        publishEvent(id, new TaskOutput(1, "stream", "output", json.readTree("{\"type\":\"assistant\"}")));
        publishEvent(id, new TaskHeartbeat(1, "w1", 1));
        publishEvent(
                id,
                new TaskCompleted(
                        1,
                        "All green.",
                        new Usage(1500, 500, 12, new BigDecimal("0.0425")),
                        new ChangesSummary(3, 45, 12),
                        "s-1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        Response task = get("/api/v1/tasks/" + id + "?include=iterations");
        assertThat(task.json().get("result").asString()).isEqualTo("All green.");
        assertThat(task.json().at("/usage/input_tokens").asLong()).isEqualTo(1500);
        assertThat(task.json().at("/usage/cost_usd").decimalValue()).isEqualByComparingTo("0.0425");
        assertThat(task.json().at("/changes_summary/files_changed").asInt()).isEqualTo(3);
        assertThat(task.json().get("started_at")).isNotNull();
        assertThat(task.json().get("finished_at")).isNotNull();
        assertThat(task.json().at("/iterations/0/status").asString()).isEqualTo("completed");
        assertThat(task.json().at("/iterations/0/prompt").asString()).isEqualTo("p");
        assertThat(log(id))
                .containsExactly(
                        "1 system status_change", "2 system status_change", "3 stream output", "4 result completed");
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        UUID id = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}"));
        Envelope<TaskEvent> output =
                Envelope.of(id, "tenant-a", new TaskOutput(1, "cli", "output", json.readTree("{\"line\":\"x\"}")));

        publishEvent(output);
        publishEvent(output);
        publishEvent(id, new TaskRunning(1, "w1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("running"));
        assertThat(log(id)).containsExactly("1 cli output", "2 system status_change");
    }

    @Test
    void aTerminalTaskNeverGoesBackToRunning() {
        UUID id = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}"));

        publishEvent(id, new TaskFailed(1, "worker lost", TaskFailed.FailureReason.WORKER_LOST, null, null));
        publishEvent(id, new TaskRunning(1, "late-worker"));
        publishEvent(id, new TaskCompleted(1, "late", Usage.none(1), ChangesSummary.NONE, null));
        UUID marker = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"m\"}"));
        publishEvent(marker, new TaskRunning(1, "w"));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(marker).equals("running"));
        assertThat(status(id)).isEqualTo("failed");
        assertThat(get("/api/v1/tasks/" + id).json().get("error").asString()).isEqualTo("worker lost");
        assertThat(log(id)).containsExactly("1 result failed");
    }

    @Test
    void storesNulsARuntimePrintedAsReplacementCharacters() {
        UUID id = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}"));
        tools.jackson.databind.node.ObjectNode line = json.createObjectNode().put("line", "a\u0000b\\u0000c");

        publishEvent(id, new TaskOutput(1, "cli", "output", line));
        publishEvent(id, new TaskCompleted(1, "done\u0000", Usage.none(1), ChangesSummary.NONE, null));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("completed"));
        assertThat(get("/api/v1/tasks/" + id).json().get("result").asString()).isEqualTo("done\uFFFD");
        assertThat(jdbc.sql("select data ->> 'line' from task_events where task_id = ? and event = 'output'")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("a\uFFFDb\\u0000c");
    }

    @Test
    void ignoresEventsThatClaimAnotherTenant() {
        UUID id = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}"));

        publishEvent(Envelope.of(id, "tenant-b", new TaskRunning(1, "intruder")));
        publishEvent(id, new TaskStarted(1, "w1", 1, "cloning"));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).equals("cloning"));
        assertThat(log(id)).containsExactly("1 system status_change");
    }

    @Test
    void listsNewestFirstWithStableCursorsAndStatusFilter() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"list-" + i + "\"}"));
        }
        Response first = get("/api/v1/tasks?limit=2");
        String cursor = first.json().get("next_cursor").asString();
        createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"inserted meanwhile\"}");
        Response second = get("/api/v1/tasks?limit=2&cursor=" + cursor);

        assertThat(first.json().get("tasks").valueStream().map(t -> t.get("id").asString()))
                .containsExactly(ids.get(4), ids.get(3));
        assertThat(second.json().get("tasks").valueStream().map(t -> t.get("id").asString()))
                .containsExactly(ids.get(2), ids.get(1));
        assertThat(get("/api/v1/tasks?status=completed&limit=100")
                        .json()
                        .get("tasks")
                        .valueStream()
                        .map(t -> t.get("status").asString()))
                .allMatch("completed"::equals);
    }

    private String status(UUID id) {
        return get("/api/v1/tasks/" + id).json().get("status").asString();
    }

    private List<String> log(UUID id) {
        return jdbc.sql("select seq || ' ' || type || ' ' || event from task_events where task_id = ? order by seq")
                .param(id)
                .query(String.class)
                .list();
    }
}
