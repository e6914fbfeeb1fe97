package dev.agentry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
