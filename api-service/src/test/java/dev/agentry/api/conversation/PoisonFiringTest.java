package dev.agentry.api.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The API's consumer of {@code agentry.schedule.firings} serves every tenant: a firing it cannot decode, or one it
 * cannot store, is set aside as a dead letter and the next firing on the partition still runs; the operator replays
 * the stored one once its cause is fixed.
 */
class PoisonFiringTest extends TurnTestSupport {

    private static final Instant POISON_TIME = Instant.parse("2001-01-01T00:00:00Z");

    @Test
    void aFiringThatCannotBeDecodedOrStoredIsSetAsideAndTheNextOneRuns() throws Exception {
        String id = scheduledConversation();
        int version = scheduleVersion(id);
        jdbc.sql("alter table conversation_turns add constraint no_poison_firing_for_test"
                        + " check (fire_time is null or fire_time <> timestamptz '2001-01-01T00:00:00Z')")
                .update();
        try {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(Topics.SCHEDULE_FIRINGS, id, new byte[] {0, (byte) 0xff, '{'}))
                        .get();
            }
            fire(id, version, POISON_TIME);
            Instant good = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            fire(id, version, good);

            Envelope<RunTurn> run = worker.nextCommand(id);
            assertThat(run.payload().trigger()).isEqualTo(RunTurn.TRIGGER_SCHEDULE);
            assertThat(firingTurns(id)).hasSize(1);

            List<JsonNode> letters = letters(id);
            assertThat(letters).hasSize(2);
            assertThat(letters).anySatisfy(l -> {
                assertThat(l.get("reason").asString()).startsWith("Undecodable");
                assertThat(l.get("attempts").asInt()).isEqualTo(1);
            });
            JsonNode stored = letters.stream()
                    .filter(l -> l.get("reason").asString().contains("no_poison_firing_for_test"))
                    .findFirst()
                    .orElseThrow();
            assertThat(stored.get("attempts").asInt()).isEqualTo(3);
            assertThat(stored.get("tenant_id").asString()).isEqualTo("tenant-a");
            assertThat(stored.get("topic").asString()).isEqualTo(Topics.SCHEDULE_FIRINGS);

            jdbc.sql("alter table conversation_turns drop constraint no_poison_firing_for_test")
                    .update();
            Response replayed =
                    post("/api/v1/admin/dead-letters/" + stored.get("id").asString() + "/replay", "");
            assertThat(replayed.status()).as(replayed.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(20)).until(() -> firingTurns(id).size() == 2);
        } finally {
            jdbc.sql("alter table conversation_turns drop constraint if exists no_poison_firing_for_test")
                    .update();
        }
    }

    private List<JsonNode> letters(String key) {
        return get("/api/v1/admin/dead-letters?stage=schedule-firings&limit=200")
                .json()
                .get("dead_letters")
                .valueStream()
                .filter(l -> l.has("key") && l.get("key").asString().equals(key))
                .toList();
    }
}
