package dev.agentry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.TaskCommand;
import dev.agentry.testkit.TestKafka;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Admission control: a tenant with a running-tasks limit has at most that many task.run commands in the workers'
 * queue; the rest wait pending and go out as slots free, and another tenant's tasks start at once.
 */
class FairnessTest extends IdentityIntegrationTest {

    private static final String TASK = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}";
    private static final MessageCodec codec = new MessageCodec();
    /** The flood: 500 tasks of one tenant queued ahead of another tenant's 5. */
    private static final int FLOOD = 500;

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

    private static void readCommands(Map<String, Set<UUID>> queued) {
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
            consumer.subscribe(List.of(Topics.TASK_COMMANDS));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Envelope<TaskCommand> envelope = codec.decodeTaskCommand(record.value());
                    queued.computeIfAbsent(envelope.tenantId(), t -> ConcurrentHashMap.newKeySet())
                            .add(envelope.aggregateId());
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // the test is over
        }
    }
}
