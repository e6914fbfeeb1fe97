package dev.agentry.api.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.conversation.ConversationNotice;
import dev.agentry.events.conversation.MessageCreated;
import dev.agentry.events.conversation.NeedsInput;
import dev.agentry.events.conversation.Notify;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.StateUpdate;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.WaitingInput;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Chat turns, firings and their projection, through the real outbox, Kafka and projector; the test is the worker. */
class ConversationTurnTest extends TurnTestSupport {

    @Test
    void aChatTurnAnswersWithTheAssistantMessageAndTheNewStatus() {
        String id = createConversation(TOKEN);
        CompletableFuture<Response> reply = send(id, "Check the weather every morning");

        Envelope<RunTurn> command = worker.nextCommand(id);
        RunTurn run = command.payload();
        assertThat(run.trigger()).isEqualTo("chat");
        assertThat(run.history()).last().satisfies(m -> {
            assertThat(m.role()).isEqualTo("user");
            assertThat(m.content()).isEqualTo("Check the weather every morning");
        });
        assertThat(run.model().provider()).isEqualTo("anthropic");
        assertThat(run.model().model()).isEqualTo("claude-sonnet-4-5");
        assertThat(run.model().apiKey()).isNull();
        worker.publish(command, new TurnStarted(run.turnId(), "worker-1"));
        worker.publish(command, new TurnDelta(run.turnId(), "I will "));
        worker.publish(
                command,
                completed(
                        command,
                        "I will check it every morning at 8.",
                        dailyAtEight(),
                        new StateUpdate(Map.of("city", "Berlin"), "watching")));

        JsonNode body = expect(reply.join(), 200).json();
        assertThat(body.get("message").get("role").asString()).isEqualTo("user");
        assertThat(body.get("message").get("source").asString()).isEqualTo("chat");
        assertThat(body.get("assistantMessage").get("role").asString()).isEqualTo("assistant");
        assertThat(body.get("assistantMessage").get("content").asString())
                .isEqualTo("I will check it every morning at 8.");
        assertThat(body.get("assistantMessage").get("source").asString()).isEqualTo("chat");
        assertThat(body.get("conversationUpdated").asBoolean()).isTrue();
        assertThat(body.get("newStatus").asString()).isEqualTo("background");

        JsonNode c = expect(get("/api/conversations/" + id), 200).json();
        assertThat(c.get("conversation").get("status").asString()).isEqualTo("background");
        assertThat(c.get("conversation").get("schedule").get("type").asString()).isEqualTo("cron");
        assertThat(c.get("conversation").get("schedule").get("cronExpression").asString())
                .isEqualTo("0 8 * * *");
        assertThat(c.get("conversation").get("schedule").get("runAt").isNull()).isTrue();
        assertThat(Instant.parse(c.get("conversation").get("nextRunAt").asString()))
                .isAfter(Instant.now());
        assertThat(c.get("conversation").get("state").get("data").get("city").asString())
                .isEqualTo("Berlin");
        assertThat(c.get("conversation").get("state").get("step").asString()).isEqualTo("watching");
        assertThat(c.get("messages").size()).isEqualTo(2);
    }

    @Test
    void aPlainReplyHasANullNewStatus() {
        String id = createConversation(TOKEN);
        CompletableFuture<Response> reply = send(id, "Hello");

        Envelope<RunTurn> command = worker.nextCommand(id);
        worker.publish(command, completed(command, "Hi there."));

        JsonNode body = expect(reply.join(), 200).json();
        assertThat(body.has("newStatus")).isTrue();
        assertThat(body.get("newStatus").isNull()).isTrue();
        assertThat(body.get("conversationUpdated").asBoolean()).isFalse();
    }

    @Test
    void anAnswerClearsTheQuestionAndANewQuestionInTheReplyIsKept() {
        String id = createConversation(TOKEN);
        CompletableFuture<Response> first = send(id, "Plan my trip");
        Envelope<RunTurn> ask = worker.nextCommand(id);
        worker.publish(
                ask, completed(ask, "Where to?", new NeedsInput("choice", "Which city?", List.of("Rome", "Oslo"))));
        assertThat(expect(first.join(), 200).json().get("newStatus").asString()).isEqualTo("waiting_input");
        JsonNode question = get("/api/conversations/" + id)
                .json()
                .get("conversation")
                .get("state")
                .get("pendingQuestion");
        assertThat(question.get("prompt").asString()).isEqualTo("Which city?");
        assertThat(question.get("options").get(1).asString()).isEqualTo("Oslo");

        CompletableFuture<Response> second = send(id, "Rome");
        Envelope<RunTurn> answer = worker.nextCommand(id);
        // The turn is told which question the message answers; the stored conversation stops waiting (below).
        assertThat(answer.payload().state().pendingQuestion()).isNotNull();
        assertThat(answer.payload().state().pendingQuestion().prompt()).isEqualTo("Which city?");
        worker.publish(answer, completed(answer, "When?", new NeedsInput("input", "Which dates?", null)));
        JsonNode body = expect(second.join(), 200).json();

        assertThat(body.get("conversationUpdated").asBoolean()).isTrue();
        assertThat(body.get("newStatus").isNull()).isTrue();
        JsonNode c = get("/api/conversations/" + id).json().get("conversation");
        assertThat(c.get("status").asString()).isEqualTo("waiting_input");
        assertThat(c.get("state").get("pendingQuestion").get("prompt").asString())
                .isEqualTo("Which dates?");

        CompletableFuture<Response> third = send(id, "In May");
        Envelope<RunTurn> last = worker.nextCommand(id);
        worker.publish(last, completed(last, "Booked."));
        assertThat(expect(third.join(), 200).json().get("newStatus").asString()).isEqualTo("active");

        // What the tenant's webhooks carry, published through the outbox in the transactions that wrote it.
        List<ConversationNotice> notices =
                await().atMost(Duration.ofSeconds(20)).until(() -> notices(id), found -> found.size() >= 8);
        assertThat(notices.stream()
                        .filter(MessageCreated.class::isInstance)
                        .map(n -> ((MessageCreated) n).role() + ": " + ((MessageCreated) n).content()))
                .containsExactly(
                        "user: Plan my trip",
                        "assistant: Where to?",
                        "user: Rome",
                        "assistant: When?",
                        "user: In May",
                        "assistant: Booked.");
        assertThat(notices.stream()
                        .filter(WaitingInput.class::isInstance)
                        .map(n -> ((WaitingInput) n).question().prompt()))
                .containsExactly("Which city?", "Which dates?");
    }

    /** The conversation notices on their topic for {@code conversationId}, in order. */
    private static List<ConversationNotice> notices(String conversationId) {
        MessageCodec codec = new MessageCodec();
        List<ConversationNotice> found = new java.util.ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of("bootstrap.servers", dev.agentry.testkit.TestKafka.bootstrapServers()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONVERSATION_NOTICES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(conversationId)
                            && codec.decode(record.value()).payload() instanceof ConversationNotice notice) {
                        found.add(notice);
                    }
                }
            }
        }
        return found;
    }

    @Test
    void aTurnPastTheWaitAnswers202AndItsReplyShowsUpLater() {
        String id = createConversation(TOKEN);
        CompletableFuture<Response> reply = send(id, "Take your time");
        Envelope<RunTurn> command = worker.nextCommand(id);

        JsonNode body = expect(reply.join(), 202).json();
        assertThat(body.get("status").asString()).isEqualTo("in_progress");
        assertThat(body.get("turnId").asString())
                .isEqualTo(command.payload().turnId().toString());
        assertThat(body.get("assistantMessage").isNull()).isTrue();
        assertThat(body.get("message").get("content").asString()).isEqualTo("Take your time");

        worker.publish(command, completed(command, "Done, eventually."));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        get("/api/conversations/" + id).json().get("messages").size() == 2);
    }

    @Test
    void aFailedTurnIsABadGatewayWithASystemMessage() {
        String id = createConversation(TOKEN);
        CompletableFuture<Response> reply = send(id, "Hello?");
        Envelope<RunTurn> command = worker.nextCommand(id);
        worker.publish(
                command,
                new TurnFailed(command.payload().turnId(), TurnFailed.MODEL_UNAVAILABLE, "the model API answered 529"));

        Response failed = reply.join();
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json().get("error").asString()).contains("the model API answered 529");
        JsonNode messages = get("/api/conversations/" + id).json().get("messages");
        assertThat(messages.get(1).get("role").asString()).isEqualTo("system");
    }

    @Test
    void aDuplicateFiringRunsOnceAndAFiringWhileATurnRunsIsSkipped() {
        String id = scheduledConversation();
        int version = scheduleVersion(id);
        Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant next = first.plus(Duration.ofDays(1));

        fire(id, version, first);
        fire(id, version, first);
        Envelope<RunTurn> run = worker.nextCommand(id);
        worker.publish(run, new TurnStarted(run.payload().turnId(), "worker-1"));
        fire(id, version, next);

        await().atMost(Duration.ofSeconds(20)).until(() -> firingTurns(id).size() == 2);
        List<Map<String, Object>> turns = firingTurns(id);
        assertThat(turns.get(0).get("status")).isIn("queued", "running");
        assertThat(turns.get(1).get("status")).isEqualTo("skipped");
        assertThat(turns.get(1).get("skip_reason")).isEqualTo("the previous turn is still queued or running");
        assertThat(run.payload().trigger()).isEqualTo("schedule");
        assertThat(run.payload().scheduledFor()).isEqualTo(first);
        assertThat(run.payload().scheduleTask()).isEqualTo("check the weather");
        assertThat(worker.commandsFor(id).stream().filter(c -> c.trigger().equals("schedule")))
                .hasSize(1);

        worker.publish(run, completed(run, "Sunny, 21 degrees.", new Notify("Weather", "Sunny today")));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        get("/api/conversations/" + id).json().get("messages").size() == 3);
        JsonNode c = get("/api/conversations/" + id).json();
        assertThat(c.get("messages").get(2).get("source").asString()).isEqualTo("worker");
        assertThat(c.get("conversation").get("status").asString()).isEqualTo("background");
        assertThat(get("/api/notifications").body()).contains("Sunny today");
    }

    @Test
    void archivingStopsTheScheduleAndItsLaterFiringsAreSkipped() {
        String id = scheduledConversation();
        int version = scheduleVersion(id);

        JsonNode archived = expect(patch("/api/conversations/" + id, "{\"status\":\"archived\"}", TOKEN), 200)
                .json();
        fire(id, version, Instant.now().truncatedTo(ChronoUnit.MINUTES));

        assertThat(archived.get("conversation").get("schedule").isNull()).isTrue();
        assertThat(archived.get("conversation").get("nextRunAt").isNull()).isTrue();
        assertThat(scheduleVersion(id)).isGreaterThan(version);
        await().atMost(Duration.ofSeconds(20)).until(() -> firingTurns(id).size() == 1);
        assertThat(firingTurns(id).getFirst().get("status")).isEqualTo("skipped");
        assertThat(worker.commandsFor(id)).hasSize(1);
    }

    @Test
    void runNowSendsARunNowTurnAndPauseStopsFirings() {
        String id = scheduledConversation();

        JsonNode triggered =
                expect(post("/api/conversations/" + id + "/run-now", ""), 200).json();
        Envelope<RunTurn> run = worker.nextCommand(id);
        assertThat(run.payload().trigger()).isEqualTo("run_now");
        assertThat(triggered.get("triggeredAt").asString()).isNotBlank();
        assertThat(post("/api/conversations/" + id + "/run-now", "").status()).isEqualTo(409);
        worker.publish(run, completed(run, "Ran."));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        get("/api/conversations/" + id).json().get("messages").size() == 3);

        JsonNode paused = expect(patch("/api/conversations/" + id + "/pause", "", TOKEN), 200)
                .json();
        assertThat(paused.get("paused").asBoolean()).isTrue();
        assertThat(paused.get("conversation").get("nextRunAt").isNull()).isTrue();
        fire(id, scheduleVersion(id), Instant.now().truncatedTo(ChronoUnit.MINUTES));
        await().atMost(Duration.ofSeconds(20)).until(() -> firingTurns(id).size() == 1);
        assertThat(firingTurns(id).getFirst().get("skip_reason")).isEqualTo("the schedule is paused");

        JsonNode resumed = expect(patch("/api/conversations/" + id + "/resume", "", TOKEN), 200)
                .json();
        assertThat(resumed.get("resumed").asBoolean()).isTrue();
        assertThat(resumed.get("conversation").get("nextRunAt").isNull()).isFalse();
    }

    @Test
    void aTurnSilentForLongerThanTheStaleBoundNoLongerHoldsTheScheduleBack() {
        String id = scheduledConversation();
        int version = scheduleVersion(id);
        Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        fire(id, version, first);
        worker.nextCommand(id);
        jdbc.sql("update conversation_turns set created_at = now() - interval '1 hour' where conversation_id = ?::uuid")
                .param(id)
                .update();

        fire(id, version, first.plus(Duration.ofDays(1)));

        Envelope<RunTurn> next = worker.nextCommand(id);
        assertThat(next.payload().scheduledFor()).isEqualTo(first.plus(Duration.ofDays(1)));
        assertThat(firingTurns(id)).extracting(t -> t.get("status")).containsOnly("queued");
    }
}
