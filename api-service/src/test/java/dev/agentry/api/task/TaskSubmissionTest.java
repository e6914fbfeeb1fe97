package dev.agentry.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.RunTask;
import dev.agentry.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TaskSubmissionTest extends ApiIntegrationTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void acceptedTaskIsStoredAndItsRunCommandReachesKafkaWithSealedSecrets() {
        String id = createTask("""
                {"repo_url":"https://github.com/acme/app.git","prompt":"Fix the tests",
                 "access_token":"ghp_plaintext_token","callback_url":"https://example.com/hook",
                 "config":{"timeout_seconds":300,"ai_model":"claude-sonnet-4-5","ai_api_key":"sk-ant-plaintext",
                           "max_turns":5,"target_branch":"develop","cli":"claude-code"}}""");

        Response task = get("/api/v1/tasks/" + id);
        assertThat(task.status()).isEqualTo(200);
        assertThat(task.json().get("status").asString()).isEqualTo("pending");
        assertThat(task.json().get("iteration").asInt()).isEqualTo(1);
        assertThat(task.json().at("/config/target_branch").asString()).isEqualTo("develop");
        assertThat(task.body()).doesNotContain("ghp_plaintext_token").doesNotContain("sk-ant-plaintext");

        ConsumerRecord<String, byte[]> record = awaitCommand(UUID.fromString(id));
        String wire = new String(record.value(), StandardCharsets.UTF_8);
        assertThat(wire).doesNotContain("ghp_plaintext_token").doesNotContain("sk-ant-plaintext");
        assertThat(new String(record.headers().lastHeader(Headers.MESSAGE_TYPE).value()))
                .isEqualTo("task.run");
        Envelope<?> envelope = codec.decode(record.value());
        RunTask run = (RunTask) envelope.payload();
        assertThat(envelope.tenantId()).isEqualTo("tenant-a");
        assertThat(run.targetBranch()).isEqualTo("develop");
        assertThat(run.timeoutSeconds()).isEqualTo(300);
        SecretSealer sealer = SecretSealer.fromSpec(SEALING_KEYS);
        assertThat(sealer.open(run.accessToken())).isEqualTo("ghp_plaintext_token");
        assertThat(sealer.open(run.aiApiKey())).isEqualTo("sk-ant-plaintext");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("outbox") == 0);
    }

    @Test
    void sameIdempotencyKeyAndBodyReturnTheOriginalTask() {
        String body = "{\"repo_url\":\"https://github.com/acme/app.git\",\"prompt\":\"once\"}";
        String key = "key-" + UUID.randomUUID();

        Response first = send(idempotent(body, key));
        Response again = send(idempotent(body.replace(",", " , "), key));
        Response different = send(idempotent(body.replace("once", "twice"), key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.json().get("error").asString()).isEqualTo("idempotency key reused");
        assertThat(jdbc.sql("select count(*) from tasks where prompt in ('once', 'twice')")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aTasksOwnWebhookEventsAreStoredWithoutDuplicatesInOrderAndShown() {
        Response created = post("/api/v1/tasks", """
                {"repo_url":"https://github.com/acme/app.git","prompt":"Follow me turn by turn",
                 "callback_url":"https://example.com/hook",
                 "webhook_events":["task.iteration.completed","task.failed","task.iteration.completed"]}""");

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        List<String> chosen = List.of("task.iteration.completed", "task.failed");
        assertThat(strings(created.json().get("webhook_events"))).isEqualTo(chosen);
        assertThat(storedWebhookEvents(id)).isEqualTo(chosen);
        assertThat(strings(get("/api/v1/tasks/" + id).json().get("webhook_events")))
                .isEqualTo(chosen);
        assertThat(strings(listed(id).get("webhook_events"))).isEqualTo(chosen);
    }

    @Test
    void anEmptyWebhookEventsListMeansNoWebhooksAndIsKeptApartFromNoChoice() {
        String none = createTask("""
                {"repo_url":"https://github.com/acme/app.git","prompt":"Quiet, please",
                 "callback_url":"https://example.com/hook","webhook_events":[]}""");
        String tenants = createTask("""
                {"repo_url":"https://github.com/acme/app.git","prompt":"As my tenant likes it",
                 "callback_url":"https://example.com/hook","webhook_events":null}""");

        assertThat(storedWebhookEvents(none)).isEmpty();
        assertThat(get("/api/v1/tasks/" + none).json().get("webhook_events").isArray())
                .isTrue();
        assertThat(get("/api/v1/tasks/" + none).json().get("webhook_events")).isEmpty();
        assertThat(storedWebhookEvents(tenants)).isNull();
        assertThat(get("/api/v1/tasks/" + tenants).json().has("webhook_events")).isFalse();
        assertThat(listed(tenants).has("webhook_events")).isFalse();
    }

    @Test
    void anIdempotencyKeyCoversTheWebhookEventsToo() {
        String body = """
                {"repo_url":"https://github.com/acme/app.git","prompt":"keyed events",
                 "callback_url":"https://example.com/hook","webhook_events":["task.completed"]}""";
        String key = "events-" + UUID.randomUUID();

        Response first = send(idempotent(body, key));
        Response again = send(idempotent(body, key));
        Response other = send(idempotent(body.replace("task.completed", "task.iteration.completed"), key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(strings(again.json().get("webhook_events"))).containsExactly("task.completed");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().get("fields").has("Idempotency-Key")).isTrue();
        assertThat(jdbc.sql("select count(*) from tasks where prompt = 'keyed events'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyCreateOneTask() throws Exception {
        String body = "{\"repo_url\":\"https://github.com/acme/app.git\",\"prompt\":\"race\"}";
        String key = "race-" + UUID.randomUUID();
        List<Thread> threads = new ArrayList<>();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual()
                    .start(() ->
                            ids.add(send(idempotent(body, key)).json().get("id").asString())));
        }
        for (Thread t : threads) {
            t.join();
        }

        assertThat(ids).hasSize(8).containsOnly(ids.getFirst());
        assertThat(jdbc.sql("select count(*) from tasks where prompt = 'race'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    private java.net.http.HttpRequest.Builder idempotent(String body, String key) {
        return request("/api/v1/tasks")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .header("Idempotency-Key", key);
    }

    private List<String> storedWebhookEvents(String taskId) {
        return jdbc.sql("select webhook_events from tasks where id = ?::uuid")
                .param(taskId)
                .query((rs, n) -> {
                    java.sql.Array events = rs.getArray(1);
                    return events == null ? null : List.of((String[]) events.getArray());
                })
                .list()
                .getFirst();
    }

    private JsonNode listed(String taskId) {
        return get("/api/v1/tasks?limit=100")
                .json()
                .get("tasks")
                .valueStream()
                .filter(task -> task.get("id").asString().equals(taskId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("task " + taskId + " is not listed"));
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array).as("webhook_events").isNotNull();
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private ConsumerRecord<String, byte[]> awaitCommand(UUID taskId) {
        try (var consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "group.id",
                        "probe-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.TASK_COMMANDS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(taskId.toString())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no command for task " + taskId + " reached Kafka");
    }
}
