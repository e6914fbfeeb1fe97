package dev.agentry.api.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.conversation.TurnFailed;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class ConversationProjectorTest extends TurnTestSupport {

    @Autowired
    MeterRegistry meters;

    @Autowired
    TurnCompletions completions;

    @Autowired
    ProcessedEventsPruner pruner;

    private double skipped() {
        return meters.get("agentry.conversation.projector.skipped").counter().count();
    }

    private int messages(String id) {
        return get("/api/conversations/" + id).json().get("messages").size();
    }

    @Test
    void aBadRecordIsCountedAndSkippedAndTheNextOneIsProjected() throws Exception {
        String id = createConversation(TOKEN);
        double before = skipped();
        CompletableFuture<Response> reply = send(id, "Hello");
        Envelope<RunTurn> command = worker.nextCommand(id);

        try (var producer = new KafkaProducer<>(
                java.util.Map.<String, Object>of("bootstrap.servers", dev.agentry.testkit.TestKafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.CONVERSATION_EVENTS, id, "not json".getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        // PostgreSQL refuses a NUL character in text: the event cannot be projected, however often it is tried.
        worker.publish(command, completed(command, "bad \u0000 reply"));
        TurnCompleted good = completed(command, "A good reply.");
        Envelope<TurnCompleted> once = Envelope.of(command.aggregateId(), command.tenantId(), good);
        worker.publish(Topics.CONVERSATION_EVENTS, once);
        worker.publish(Topics.CONVERSATION_EVENTS, once);

        JsonNode body = expect(reply.join(), 200).json();
        assertThat(body.get("assistantMessage").get("content").asString()).isEqualTo("A good reply.");
        assertThat(skipped()).isGreaterThanOrEqualTo(before + 2);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from conversation_processed_events where event_id = ?")
                                .param(once.id())
                                .query(Integer.class)
                                .single()
                        == 1);
        assertThat(messages(id)).isEqualTo(2);
        List<JsonNode> letters = get("/api/v1/admin/dead-letters?stage=conversation-projector&limit=200")
                .json()
                .get("dead_letters")
                .valueStream()
                .filter(l -> l.has("key") && l.get("key").asString().equals(id))
                .toList();
        assertThat(letters).hasSize(2);
        assertThat(letters)
                .anySatisfy(l -> {
                    assertThat(l.get("reason").asString()).startsWith("Undecodable");
                    assertThat(l.get("attempts").asInt()).isEqualTo(1);
                })
                .anySatisfy(l -> {
                    assertThat(l.get("tenant_id").asString()).isEqualTo("tenant-a");
                    assertThat(l.get("attempts").asInt()).isEqualTo(3);
                    assertThat(l.get("topic").asString()).isEqualTo(Topics.CONVERSATION_EVENTS);
                });
    }

    @Test
    void projectedEventIdsOlderThanTheRetentionArePrunedAndYoungerOnesKept() {
        UUID old = UUID.randomUUID();
        UUID almostOld = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        Instant now = Instant.now();
        for (var row : java.util.Map.of(
                        old, now.minus(Duration.ofDays(8)),
                        almostOld, now.minus(Duration.ofDays(6)),
                        fresh, now)
                .entrySet()) {
            jdbc.sql("insert into conversation_processed_events (event_id, processed_at) values (?, ?)")
                    .params(row.getKey(), java.sql.Timestamp.from(row.getValue()))
                    .update();
        }

        int deleted = pruner.pruneOnce();

        assertThat(deleted).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select event_id from conversation_processed_events where event_id in (?, ?, ?)")
                        .params(old, almostOld, fresh)
                        .query(UUID.class)
                        .list())
                .containsExactlyInAnyOrder(almostOld, fresh);
        assertThat(pruner.pruneOnce()).as("nothing older is left").isZero();
    }

    @Test
    void aFailedScheduledRunLeavesASystemMessageAndANotificationAndTheScheduleGoesOn() {
        String id = scheduledConversation();
        fire(id, scheduleVersion(id), Instant.now().truncatedTo(ChronoUnit.MINUTES));
        Envelope<RunTurn> run = worker.nextCommand(id);
        worker.publish(
                run, new TurnFailed(run.payload().turnId(), TurnFailed.MODEL_ERROR, "the model API answered 400"));

        await().atMost(Duration.ofSeconds(20)).until(() -> messages(id) == 3);
        JsonNode c = get("/api/conversations/" + id).json();
        JsonNode system = c.get("messages").get(2);
        assertThat(system.get("role").asString()).isEqualTo("system");
        assertThat(system.get("source").asString()).isEqualTo("worker");
        assertThat(system.get("content").asString()).contains("the model API answered 400");
        assertThat(c.get("conversation").get("status").asString()).isEqualTo("background");
        assertThat(c.get("conversation").get("schedule").get("type").asString()).isEqualTo("cron");
        assertThat(get("/api/notifications").body()).contains("the model API answered 400");
    }

    @Test
    void anImmediateScheduleRunsOnceAndTheConversationIsActiveAgain() {
        String id = createConversation(TOKEN);
        CompletableFuture<Response> reply = send(id, "Do it now in the background");
        Envelope<RunTurn> chat = worker.nextCommand(id);
        worker.publish(
                chat,
                completed(
                        chat,
                        "Starting.",
                        new CreateSchedule(
                                new ScheduleSpec(ScheduleSpec.IMMEDIATE, null, "UTC", null, "summarise the news"),
                                null)));
        assertThat(expect(reply.join(), 200).json().get("newStatus").asString()).isEqualTo("background");

        fire(id, scheduleVersion(id), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Envelope<RunTurn> run = worker.nextCommand(id);
        assertThat(run.payload().schedule().type()).isEqualTo("immediate");
        worker.publish(run, completed(run, "Here is the summary."));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> get("/api/conversations/" + id)
                        .json()
                        .get("conversation")
                        .get("status")
                        .asString()
                        .equals("active"));
        JsonNode c = get("/api/conversations/" + id).json().get("conversation");
        assertThat(c.get("schedule").isNull()).isTrue();
        assertThat(c.get("nextRunAt").isNull()).isTrue();
    }

    /** What another API instance's projector does at its commit: this instance's waiter wakes up. */
    @Test
    void aNotifyFromAnotherInstanceWakesTheWaitingRequest() {
        UUID turnId = UUID.randomUUID();
        CompletableFuture<Void> signal = completions.next(turnId);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            jdbc.sql("select pg_notify(?, ?)")
                    .params(TurnSignals.CHANNEL, turnId.toString())
                    .query((rs, n) -> 1)
                    .list();
            return signal.isDone();
        });
    }
}
