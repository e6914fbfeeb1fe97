package dev.agentry.api.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.Topics;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * One tenant's bad record never stops a shared stage: the outbox relay sets aside a row Kafka refuses (here over a
 * 64 KB {@code max.request.size}) and fails its task, the projector sets aside an event it cannot decode or store,
 * and an operator lists and replays what was set aside.
 */
@TestPropertySource(properties = "spring.kafka.producer.properties.max.request.size=65536")
class PoisonRecordTest extends ApiIntegrationTest {

    private static final String REPO = "https://github.com/a/b.git";

    @Test
    void anOversizedOutboxRowIsSetAsideAndFailsOnlyItsOwnTask() {
        List<String> small = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            small.add(createTask(task("before-" + i), TOKEN));
            small.add(createTask(task("other-tenant-" + i), OTHER_TOKEN));
        }
        String big = createTask(task("x".repeat(90_000)), TOKEN);
        for (int i = 0; i < 4; i++) {
            small.add(createTask(task("after-" + i), TOKEN));
            small.add(createTask(task("other-after-" + i), OTHER_TOKEN));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> status(big).equals("failed"));
        JsonNode failed = get("/api/v1/tasks/" + big).json();
        assertThat(failed.get("error").asString())
                .contains("RecordTooLargeException")
                .contains("dead letter");
        assertThat(commandKeys(small.size())).containsAll(small).doesNotContain(big);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("outbox") == 0);
        assertThat(small.stream().map(this::status)).allMatch("pending"::equals);

        JsonNode letters = get("/api/v1/admin/dead-letters?stage=outbox").json().get("dead_letters");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).get("key").asString()).isEqualTo(big);
        assertThat(letters.get(0).get("tenant_id").asString()).isEqualTo("tenant-a");
        assertThat(letters.get(0).get("message_type").asString()).isEqualTo("task.run");
        assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(3);
        assertThat(letters.get(0).get("reason").asString()).startsWith("RecordTooLargeException");
        assertThat(letters.get(0).has("payload")).isFalse();
    }

    @Test
    void anEventThatCannotBeStoredIsRetriedThenSetAsideAndReplayedOnceFixed() {
        jdbc.sql("alter table task_events add constraint no_poison_for_test check (event <> 'poison')")
                .update();
        UUID poisoned = UUID.fromString(createTask(task("poisoned"), TOKEN));
        UUID neighbour = UUID.fromString(createTask(task("neighbour"), TOKEN));

        publishEvent(poisoned, new TaskOutput(1, "cli", "poison", json.readTree("{\"line\":\"x\"}")));
        publishEvent(neighbour, new TaskRunning(1, "w1"));
        publishEvent(poisoned, new TaskRunning(1, "w1"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> status(neighbour.toString()).equals("running")
                        && status(poisoned.toString()).equals("running"));
        JsonNode letter = get("/api/v1/admin/dead-letters?stage=consumer&pending=true")
                .json()
                .get("dead_letters")
                .valueStream()
                .filter(l -> keyed(l, poisoned.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(letter.get("reason").asString()).contains("no_poison_for_test");
        assertThat(letter.get("attempts").asInt()).isEqualTo(3);
        assertThat(letter.get("topic").asString()).isEqualTo(Topics.TASK_EVENTS);

        jdbc.sql("alter table task_events drop constraint no_poison_for_test").update();
        String id = letter.get("id").asString();
        Response replayed = post("/api/v1/admin/dead-letters/" + id + "/replay", "");
        assertThat(replayed.status()).isEqualTo(202);
        assertThat(replayed.json().get("replayed_at").isNull()).isFalse();
        assertThat(post("/api/v1/admin/dead-letters/" + id + "/replay", "").status())
                .isEqualTo(409);

        await().atMost(Duration.ofSeconds(20)).until(() -> events(poisoned).contains("poison"));
    }

    @Test
    void anUndecodableEventIsSetAsideAtOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.TASK_EVENTS, key, new byte[] {0, (byte) 0xff, '{'}))
                    .get();
            // a tombstone (no value at all) must not stop the projector either
            producer.send(new ProducerRecord<String, byte[]>(Topics.TASK_EVENTS, key, null))
                    .get();
        }
        UUID after = UUID.fromString(createTask(task("after garbage"), TOKEN));
        publishEvent(after, new TaskRunning(1, "w1"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> status(after.toString()).equals("running"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> get("/api/v1/admin/dead-letters?stage=task-projector")
                                .json()
                                .get("dead_letters")
                                .valueStream()
                                .filter(l -> keyed(l, key)
                                        && l.get("reason").asString().startsWith("Undecodable"))
                                .count()
                        == 2);
    }

    @Test
    void onlyOperatorsSeeDeadLettersAndBadParametersAre400() {
        assertThat(get("/api/v1/admin/dead-letters", OTHER_TOKEN).status()).isEqualTo(403);
        assertThat(post("/api/v1/admin/dead-letters/1/replay", "", OTHER_TOKEN).status())
                .isEqualTo(403);
        assertThat(get("/api/v1/admin/dead-letters?limit=0").status()).isEqualTo(400);
        assertThat(get("/api/v1/admin/dead-letters?cursor=abc").status()).isEqualTo(400);
        assertThat(get("/api/v1/admin/dead-letters?stage=nope").status()).isEqualTo(400);
        assertThat(get("/api/v1/admin/dead-letters/x").status()).isEqualTo(400);
        assertThat(get("/api/v1/admin/dead-letters/999999").status()).isEqualTo(404);
        assertThat(post("/api/v1/admin/dead-letters/999999/replay", "").status())
                .isEqualTo(404);
        assertThat(get("/api/docs/generated").json().get("paths").has("/api/v1/admin/dead-letters/{id}/replay"))
                .isTrue();
    }

    /** Other test classes share the broker, so letters of records they published may be listed too. */
    private static boolean keyed(JsonNode letter, String key) {
        return letter.has("key") && letter.get("key").asString().equals(key);
    }

    private static String task(String prompt) {
        return "{\"repo_url\":\"" + REPO + "\",\"prompt\":\"" + prompt + "\"}";
    }

    private String createTask(String body, String token) {
        Response created = post("/api/v1/tasks", body, token);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String status(String id) {
        String token = jdbc.sql("select tenant_id from tasks where id = ?")
                        .param(UUID.fromString(id))
                        .query(String.class)
                        .single()
                        .equals("tenant-a")
                ? TOKEN
                : OTHER_TOKEN;
        return get("/api/v1/tasks/" + id, token).json().get("status").asString();
    }

    private List<String> events(UUID id) {
        return jdbc.sql("select event from task_events where task_id = ? order by seq")
                .param(id)
                .query(String.class)
                .list();
    }

    /** The keys of every task command on the topic, read until the expected ones are all there (or 20 s). */
    private static Set<String> commandKeys(int atLeast) {
        Set<String> keys = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASK_COMMANDS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int seen = 0;
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    keys.add(record.key());
                    seen++;
                }
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                boolean caughtUp = partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                if (caughtUp && seen >= atLeast) {
                    break;
                }
            }
        }
        return keys;
    }
}
