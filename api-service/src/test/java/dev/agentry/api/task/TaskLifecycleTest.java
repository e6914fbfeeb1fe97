package dev.agentry.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.Message;
import dev.agentry.events.Topics;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.DeleteWorkspace;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import dev.agentry.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class TaskLifecycleTest extends ApiIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void cancellingAPendingTaskEndsItFailedAndTellsTheWorkers() {
        UUID id = task("claude-code");

        Response cancel = post("/api/v1/tasks/" + id + "/cancel", "");

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().get("status").asString()).isEqualTo("cancelling");
        await().atMost(WAIT).until(() -> status(id).equals("failed"));
        assertThat(get("/api/v1/tasks/" + id).json().get("error").asString()).containsIgnoringCase("cancelled");
        assertThat(control(id)).anySatisfy(m -> assertThat(m).isEqualTo(new CancelTask(1)));
        Response again = post("/api/v1/tasks/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asString()).isEqualTo("conflict");
        assertThat(post("/api/v1/tasks/" + UUID.randomUUID() + "/cancel", "").status())
                .isEqualTo(404);
        assertThat(post("/api/v1/tasks/" + id + "/cancel", "", OTHER_TOKEN).status())
                .isEqualTo(404);
    }

    @Test
    void aFollowUpGoesToTheWorkerHoldingTheWorkspaceAndResumesTheSession() {
        UUID id = task("claude-code");
        assertThat(post("/api/v1/tasks/" + id + "/instruct", "{\"prompt\":\"too early\"}")
                        .status())
                .isEqualTo(409);
        publishEvent(id, new TaskStarted(1, "worker-7", 1, "cloning"));
        publishEvent(id, new WorkspaceReported("worker-7", 5 * 1024 * 1024, Instant.now(), Instant.now()));
        publishEvent(id, new TaskCompleted(1, "first", Usage.none(3), new ChangesSummary(1, 2, 0), "session-abc"));
        await().atMost(WAIT).until(() -> status(id).equals("completed"));

        Response instruct = post("/api/v1/tasks/" + id + "/instruct", "{\"prompt\":\"now add tests\"}");

        assertThat(instruct.status()).isEqualTo(200);
        assertThat(instruct.json().get("iteration").asInt()).isEqualTo(2);
        Response task = get("/api/v1/tasks/" + id + "?include=iterations");
        assertThat(task.json().get("status").asString()).isEqualTo("pending");
        assertThat(task.json().get("current_prompt").asString()).isEqualTo("now add tests");
        assertThat(task.json().get("iterations").size()).isEqualTo(2);
        assertThat(task.json().at("/iterations/0/result").asString()).isEqualTo("first");
        assertThat(control(id)).anySatisfy(m -> {
            assertThat(m).isInstanceOf(RunIteration.class);
            RunIteration run = (RunIteration) m;
            assertThat(run.workerId()).isEqualTo("worker-7");
            assertThat(run.run().iteration()).isEqualTo(2);
            assertThat(run.run().prompt()).isEqualTo("now add tests");
            assertThat(run.run().resumeSessionId()).isEqualTo("session-abc");
        });
        assertThat(post("/api/v1/tasks/" + id + "/instruct", "{}").status()).isEqualTo(400);
    }

    @Test
    void aFollowUpWithoutAWorkspaceIsAConflict() {
        UUID id = task("claude-code");
        publishEvent(id, new TaskCompleted(1, "done", Usage.none(1), ChangesSummary.NONE, "s"));
        await().atMost(WAIT).until(() -> status(id).equals("completed"));

        Response instruct = post("/api/v1/tasks/" + id + "/instruct", "{\"prompt\":\"more\"}");

        assertThat(instruct.status()).isEqualTo(409);
        assertThat(instruct.json().get("message").asString()).contains("no workspace");
    }

    @Test
    void workspacesAreListedPerTenantAndDeletedOnTheirWorker() {
        UUID running = task("claude-code");
        UUID done = task("claude-code");
        publishEvent(running, new TaskStarted(1, "worker-1", 1, "running"));
        publishEvent(running, new WorkspaceReported("worker-1", 1024 * 1024, Instant.now(), Instant.now()));
        publishEvent(done, new WorkspaceReported("worker-2", 3 * 1024 * 1024, Instant.now(), Instant.now()));
        publishEvent(done, new TaskCompleted(1, "ok", Usage.none(1), ChangesSummary.NONE, null));
        await().atMost(WAIT)
                .until(() -> status(done).equals("completed") && status(running).equals("running"));

        Response list = get("/api/v1/workspaces");
        assertThat(list.json()
                        .get("workspaces")
                        .valueStream()
                        .map(w -> w.get("task_id").asString()))
                .contains(running.toString(), done.toString());
        assertThat(list.json().get("total_size_mb").decimalValue())
                .isGreaterThanOrEqualTo(new java.math.BigDecimal("4"));
        assertThat(get("/api/v1/workspaces", OTHER_TOKEN).body()).doesNotContain(done.toString());

        assertThat(send(request("/api/v1/workspaces/" + running).DELETE().header("Authorization", "Bearer " + TOKEN))
                        .status())
                .isEqualTo(409);
        assertThat(send(request("/api/v1/workspaces/" + UUID.randomUUID())
                                .DELETE()
                                .header("Authorization", "Bearer " + TOKEN))
                        .status())
                .isEqualTo(404);
        Response delete =
                send(request("/api/v1/workspaces/" + done).DELETE().header("Authorization", "Bearer " + TOKEN));
        assertThat(delete.status()).isEqualTo(200);
        assertThat(control(done)).contains(new DeleteWorkspace("worker-2"));
        assertThat(get("/api/v1/workspaces").body()).doesNotContain(done.toString());

        publishEvent(done, new WorkspaceRemoved("worker-2", "deleted"));
        await().atMost(WAIT)
                .until(() -> jdbc.sql("select count(*) from workspaces where task_id = ?")
                                .param(done)
                                .query(Integer.class)
                                .single()
                        == 0);
    }

    private UUID task(String cli) {
        return UUID.fromString(createTask(
                "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\",\"config\":{\"cli\":\"" + cli + "\"}}"));
    }

    private String status(UUID id) {
        return get("/api/v1/tasks/" + id).json().get("status").asString();
    }

    private List<Message> control(UUID id) {
        try (var consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "group.id",
                        "control-probe-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TASK_CONTROL));
            List<Message> found = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.key().equals(id.toString())) {
                        found.add(CODEC.decodeTaskControl(record.value()).payload());
                    }
                }
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return found;
        }
    }
}
