package dev.agentry.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.IdentityIntegrationTest;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.TaskCommand;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskControl;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import dev.agentry.testkit.TestKafka;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admission control: a tenant with a running-tasks limit has at most that many task.run commands in the workers'
 * queue; the rest wait pending and go out as slots free, and another tenant's tasks start at once. A follow-up
 * iteration ({@code instruct}) counts like a task: it waits for a free slot in line with the tenant's new tasks, and
 * its run reaches the workspace's worker only once admitted.
 */
class FairnessTest extends IdentityIntegrationTest {

    private static final String TASK = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}";
    private static final String AGENT_TASK =
            "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\",\"config\":{\"cli\":\"claude-code\"}}";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MessageCodec codec = new MessageCodec();
    /** The flood: 500 tasks of one tenant queued ahead of another tenant's 5. */
    private static final int FLOOD = 500;

    /** The control messages (RunIteration and the like) published during a test, by task. */
    private final Map<UUID, List<TaskControl>> control = new ConcurrentHashMap<>();

    private Thread controlReader;

    @BeforeEach
    void readControlTopic() {
        controlReader = Thread.ofVirtual().start(() -> readControl(control));
    }

    @AfterEach
    void stopReadingControlTopic() {
        controlReader.interrupt();
    }

    private String tenant(String id, int limit) {
        assertThat(post("/api/v1/admin/tenants", "{\"id\":\"" + id + "\"}").status())
                .isEqualTo(201);
        assertThat(put("/api/v1/admin/tenants/" + id + "/quotas", "{\"max_running_tasks\":" + limit + "}", TOKEN)
                        .status())
                .isEqualTo(200);
        return send(
                        request("/api/v1/tokens")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t\",\"role\":\"member\"}"))
                                .header("Content-Type", "application/json"),
                        TOKEN,
                        id)
                .json()
                .get("token")
                .asString();
    }

    private int admitted(String tenant) {
        return jdbc.sql("select count(*) from tasks where tenant_id = ? and admitted_at is not null")
                .param(tenant)
                .query(Integer.class)
                .single();
    }

    @Test
    void aFloodingTenantHoldsOnlyItsLimitOfTheQueueAndAnotherStartsAtOnce() {
        Map<String, Set<UUID>> queued = new ConcurrentHashMap<>();
        Thread reader = Thread.ofVirtual().start(() -> readCommands(queued));
        try {
            String flood = tenant("flood", 3);
            String calm = tenant("calm", 3);

            for (int i = 0; i < FLOOD; i++) {
                assertThat(post("/api/v1/tasks", TASK, flood).status()).isEqualTo(201);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(post("/api/v1/tasks", TASK, calm).status()).isEqualTo(201);
            }

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(queued.getOrDefault("calm", Set.of())).hasSize(3);
                assertThat(queued.getOrDefault("flood", Set.of())).hasSize(3);
            });
            assertThat(admitted("flood")).isEqualTo(3);
            assertThat(get("/api/v1/quotas", flood)
                            .json()
                            .get("usage")
                            .get("running_tasks")
                            .asInt())
                    .isEqualTo(3);
            assertThat(jdbc.sql("select count(*) from tasks where tenant_id = 'flood' and status = 'pending'")
                            .query(Integer.class)
                            .single())
                    .isEqualTo(FLOOD);

            // Two of the flood's tasks finish: exactly two more of its tasks go out, oldest first.
            List<UUID> first = jdbc.sql("""
                    select id from tasks where tenant_id = 'flood' and admitted_at is not null
                    order by created_at limit 2""").query(UUID.class).list();
            jdbc.sql("update tasks set status = 'completed' where id = any(?)")
                    .param(first.toArray(UUID[]::new))
                    .update();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(queued.getOrDefault("flood", Set.of())).hasSize(5));
            assertThat(admitted("flood")).isEqualTo(5);
            assertThat(queued.get("calm")).hasSize(3);
        } finally {
            reader.interrupt();
        }
    }

    @Test
    void aCancelledWaitingTaskIsNeverAdmitted() {
        String token = tenant("patient", 1);
        String first = post("/api/v1/tasks", TASK, token).json().get("id").asString();
        String cancelled = post("/api/v1/tasks", TASK, token).json().get("id").asString();
        String third = post("/api/v1/tasks", TASK, token).json().get("id").asString();

        assertThat(post("/api/v1/tasks/" + cancelled + "/cancel", "", token).status())
                .isEqualTo(200);
        jdbc.sql("update tasks set status = 'completed' where id = ?::uuid")
                .param(first)
                .update();

        await().atMost(Duration.ofSeconds(10)).until(() -> isAdmitted(third));
        assertThat(isAdmitted(cancelled)).isFalse();
        assertThat(admitted("patient")).isEqualTo(2);
    }

    /** A tenant with {@code limit}: one task finished with its workspace on worker-9, and one running, admitted. */
    private record FollowUpScene(String token, UUID finished, UUID running) {}

    private FollowUpScene followUpScene(String tenant, int limit) {
        String token = tenant(tenant, limit);
        UUID finished = agentTask(tenant, token);
        finishWithWorkspace(tenant, finished);
        UUID running = agentTask(tenant, token);
        await().atMost(WAIT).until(() -> isAdmitted(running.toString()));
        return new FollowUpScene(token, finished, running);
    }

    private boolean isAdmitted(String id) {
        return jdbc.sql("select admitted_at is not null from tasks where id = ?::uuid")
                .param(id)
                .query(Boolean.class)
                .single();
    }

    @Test
    void aTenantWithoutALimitGoesStraightToTheQueue() {
        String id = createTask(TASK);

        assertThat(jdbc.sql("select admitted_at is not null from tasks where id = ?::uuid")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void aFollowUpOfATenantAtItsLimitWaitsForASlotInLineWithItsNewTasks() {
        FollowUpScene scene = followUpScene("instructor", 1);
        String token = scene.token();
        UUID done = scene.finished();
        UUID running = scene.running();
        UUID queuedBefore = agentTask("instructor", token);

        Response instructed = post("/api/v1/tasks/" + done + "/instruct", "{\"prompt\":\"now add tests\"}", token);

        assertThat(instructed.status()).isEqualTo(200);
        assertThat(instructed.json().get("id").asString()).isEqualTo(done.toString());
        assertThat(instructed.json().get("status").asString()).isEqualTo("pending");
        assertThat(instructed.json().get("iteration").asInt()).isEqualTo(2);
        assertThat(get("/api/v1/tasks/" + done, token).json().get("status").asString())
                .isEqualTo("pending");
        await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> !isAdmitted(done.toString()));
        assertThat(runsOf(control, done)).isEmpty();
        assertThat(get("/api/v1/quotas", token)
                        .json()
                        .at("/usage/running_tasks")
                        .asInt())
                .isEqualTo(1);

        // The slot frees: the task submitted before the instruction goes first, not the older task's follow-up.
        complete("instructor", running, 1);
        await().atMost(WAIT).until(() -> isAdmitted(queuedBefore.toString()));
        assertThat(isAdmitted(done.toString())).isFalse();
        assertThat(runsOf(control, done)).isEmpty();

        complete("instructor", queuedBefore, 1);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(runsOf(control, done))
                        .singleElement()
                        .satisfies(run -> {
                            assertThat(run.workerId()).isEqualTo("worker-9");
                            assertThat(run.run().iteration()).isEqualTo(2);
                            assertThat(run.run().prompt()).isEqualTo("now add tests");
                            assertThat(run.run().resumeSessionId()).isEqualTo("session-" + done);
                        }));
        assertThat(isAdmitted(done.toString())).isTrue();
    }

    @Test
    void aFollowUpOfATenantUnderItsLimitGoesToItsWorkerAtOnce() {
        FollowUpScene scene = followUpScene("roomy", 2);
        String token = scene.token();
        UUID done = scene.finished();
        UUID running = scene.running();

        assertThat(post("/api/v1/tasks/" + done + "/instruct", "{\"prompt\":\"more\"}", token)
                        .status())
                .isEqualTo(200);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(runsOf(control, done))
                        .singleElement()
                        .satisfies(run -> assertThat(run.run().iteration()).isEqualTo(2)));
        assertThat(get("/api/v1/quotas", token)
                        .json()
                        .at("/usage/running_tasks")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void aCancelledWaitingFollowUpNeverStarts() {
        FollowUpScene scene = followUpScene("rethinking", 1);
        String token = scene.token();
        UUID done = scene.finished();
        UUID running = scene.running();
        assertThat(post("/api/v1/tasks/" + done + "/instruct", "{\"prompt\":\"more\"}", token)
                        .status())
                .isEqualTo(200);

        assertThat(post("/api/v1/tasks/" + done + "/cancel", "", token).status())
                .isEqualTo(200);
        await().atMost(WAIT)
                .until(() -> get("/api/v1/tasks/" + done, token)
                        .json()
                        .get("status")
                        .asString()
                        .equals("failed"));
        complete("rethinking", running, 1);
        UUID next = agentTask("rethinking", token);
        await().atMost(WAIT).until(() -> isAdmitted(next.toString()));

        assertThat(isAdmitted(done.toString())).isFalse();
        assertThat(runsOf(control, done)).isEmpty();
    }

    @Test
    void aWaitingFollowUpWhoseWorkspaceWentAwayFailsOnAdmissionInsteadOfStarting() {
        FollowUpScene scene = followUpScene("forgetful", 1);
        String token = scene.token();
        UUID done = scene.finished();
        UUID running = scene.running();
        assertThat(post("/api/v1/tasks/" + done + "/instruct", "{\"prompt\":\"more\"}", token)
                        .status())
                .isEqualTo(200);
        publishEvent(Envelope.of(done, "forgetful", new WorkspaceRemoved("worker-9", "expired")));
        await().atMost(WAIT)
                .until(() -> jdbc.sql("select count(*) from workspaces where task_id = ?")
                                .param(done)
                                .query(Integer.class)
                                .single()
                        == 0);

        complete("forgetful", running, 1);

        await().atMost(WAIT)
                .until(() -> get("/api/v1/tasks/" + done, token)
                        .json()
                        .get("status")
                        .asString()
                        .equals("failed"));
        assertThat(get("/api/v1/tasks/" + done, token).json().get("error").asString())
                .startsWith("Workspace lost");
        assertThat(runsOf(control, done)).isEmpty();
    }

    private UUID agentTask(String tenant, String token) {
        Response created = post("/api/v1/tasks", AGENT_TASK, token);
        assertThat(created.status()).isEqualTo(201);
        return UUID.fromString(created.json().get("id").asString());
    }

    /** Runs the task's first iteration to completion on worker-9, which keeps its workspace. */
    private void finishWithWorkspace(String tenant, UUID task) {
        await().atMost(WAIT).until(() -> isAdmitted(task.toString()));
        publishEvent(Envelope.of(task, tenant, new TaskStarted(1, "worker-9", 1, "cloning")));
        publishEvent(Envelope.of(
                task, tenant, new WorkspaceReported("worker-9", 1024 * 1024, Instant.now(), Instant.now())));
        complete(tenant, task, 1);
        await().atMost(WAIT)
                .until(() -> jdbc.sql(
                                "select status = 'completed' and exists (select 1 from workspaces where task_id = ?)"
                                        + " from tasks where id = ?")
                        .params(task, task)
                        .query(Boolean.class)
                        .single());
    }

    private void complete(String tenant, UUID task, int iteration) {
        publishEvent(Envelope.of(
                task,
                tenant,
                new TaskCompleted(iteration, "ok", Usage.none(1), ChangesSummary.NONE, "session-" + task)));
    }

    private static List<RunIteration> runsOf(Map<UUID, List<TaskControl>> control, UUID task) {
        return control.getOrDefault(task, List.of()).stream()
                .filter(RunIteration.class::isInstance)
                .map(RunIteration.class::cast)
                .toList();
    }

    private static void readControl(Map<UUID, List<TaskControl>> control) {
        readUntilInterrupted(Topics.TASK_CONTROL, value -> {
            Envelope<TaskControl> envelope = codec.decodeTaskControl(value);
            control.computeIfAbsent(envelope.aggregateId(), t -> new CopyOnWriteArrayList<>())
                    .add(envelope.payload());
        });
    }

    private static void readCommands(Map<String, Set<UUID>> queued) {
        readUntilInterrupted(Topics.TASK_COMMANDS, value -> {
            Envelope<TaskCommand> envelope = codec.decodeTaskCommand(value);
            queued.computeIfAbsent(envelope.tenantId(), t -> ConcurrentHashMap.newKeySet())
                    .add(envelope.aggregateId());
        });
    }

    /** Hands every record of {@code topic}, from its start, to {@code onValue} until this thread is interrupted. */
    private static void readUntilInterrupted(String topic, java.util.function.Consumer<byte[]> onValue) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "group.id",
                        "fairness-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    onValue.accept(record.value());
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // the test is over
        }
    }
}
