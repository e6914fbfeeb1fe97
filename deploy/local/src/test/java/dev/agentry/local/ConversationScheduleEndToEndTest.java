package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.secret.SecretSealer;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.messages.RecordedRequest;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Received;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Seed 003 through the real API of a local platform: the assistant (the worker's LLM runtime against a scripted
 * Messages API) gives a conversation background work, the scheduler fires it on Kafka, the API turns the firing into
 * a turn that a worker runs, and the projector writes its messages, questions and notifications. Archiving stops a
 * cron schedule while an identical one, left alone, fires at the same instant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationScheduleEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MODEL_KEY = "sk-ant-e2e-conversations-7d1e";

    @TempDir
    static Path dataDir;

    private ScriptedMessagesApi model;
    private WebhookReceiver receiver;
    private LocalPlatform platform;
    private PlatformClient client;

    @BeforeAll
    void startPlatform() {
        model = ScriptedMessagesApi.start();
        receiver = WebhookReceiver.answering(Reply.ok());
        TestDatabase.Database database = TestDatabase.create();
        String run = UUID.randomUUID().toString();
        platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                // Task and conversation commands share the worker's share group; the consumer groups differ.
                .withProperty("agentry.worker.share-group-id", "e2e-conversation-workers-" + run)
                .withProperty("agentry.worker.worker-id", "e2e-conversation-worker-" + run)
                .withProperty("agentry.api.projector-group", "e2e-conversation-tasks-" + run)
                .withProperty("agentry.api.conversations.projector-group", "e2e-conversation-projector-" + run)
                .withProperty("agentry.api.conversations.firings-group", "e2e-conversation-firings-" + run)
                // Conversation webhooks to a receiver on loopback; other classes' task events on the shared broker
                // name tasks this database never had: skip them at once.
                .withProperty("agentry.scheduler.webhooks.consumer-group", "e2e-conversation-webhooks-" + run)
                .withProperty("agentry.scheduler.webhooks.missing-task-wait", "0s")
                .withProperty("agentry.secrets.sealing-keys", SecretSealer.newSpec("k1"))
                .withProperty("agentry.scheduler.webhooks.allowed-networks", "127.0.0.0/8")
                // Explicit, so a developer's own ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY are never used.
                .withProperty("agentry.worker.llm.anthropic.base-url", model.baseUrl())
                .withProperty("agentry.worker.llm.anthropic.api-key", MODEL_KEY));
        client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
        HttpResponse<String> settings =
                client.send("PUT", "/api/v1/webhooks/settings", """
                {"event_types":["conversation.message.created","conversation.waiting_input"],"url":"%s"}""".formatted(receiver.url("/conversations")));
        assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
    }

    @AfterAll
    void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aScheduledRunAnswersInTheConversationAndNotifiesTheUser() {
        String marker = UUID.randomUUID().toString();
        String task = "Remind the user to stretch " + marker;
        String id = createConversation("Stretching " + marker);
        model.replyToolUse(
                        "I will set that up.",
                        "create_schedule",
                        Map.of(
                                "type",
                                "scheduled",
                                "run_at",
                                Instant.now().plusSeconds(6).toString(),
                                "task",
                                task))
                .replyText("Done: I will remind you in a few seconds.")
                .replyToolUse("notify", Map.of("title", "Stretch " + marker, "body", "Time to stretch."))
                .replyText("Reminded the user to stretch.");

        JsonNode reply = sendMessage(id, "Remind me to stretch in a few seconds " + marker);

        assertThat(reply.at("/assistantMessage/role").asString()).isEqualTo("assistant");
        assertThat(reply.at("/assistantMessage/source").asString()).isEqualTo("chat");
        assertThat(reply.at("/assistantMessage/content").asString())
                .contains("I will set that up.")
                .contains("Done: I will remind you in a few seconds.");
        assertThat(reply.get("conversationUpdated").asBoolean()).isTrue();
        assertThat(reply.get("newStatus").asString()).isEqualTo("background");
        JsonNode scheduled = conversation(id).get("conversation");
        assertThat(scheduled.get("status").asString()).isEqualTo("background");
        assertThat(scheduled.at("/schedule/type").asString()).isEqualTo("scheduled");
        assertThat(scheduled.at("/schedule/task").asString()).isEqualTo(task);
        assertThat(scheduled.get("nextRunAt").isNull()).isFalse();

        await().atMost(WAIT).until(() -> workerMessage(id, "Reminded the user to stretch.") != null);
        JsonNode notification = await().atMost(WAIT).until(() -> notification(id), n -> n != null);
        assertThat(notification.get("title").asString()).isEqualTo("Stretch " + marker);
        assertThat(notification.get("body").asString()).isEqualTo("Time to stretch.");
        assertThat(notification.get("isRead").asBoolean()).isFalse();
        // A one-time schedule ends with the run of its firing.
        JsonNode after = await().atMost(WAIT)
                .until(
                        () -> conversation(id).get("conversation"),
                        c -> c.get("status").asString().equals("active"));
        assertThat(after.get("schedule").isNull()).isTrue();
        List<RecordedRequest> backgroundRun = backgroundTurns(task);
        assertThat(backgroundRun).hasSize(2);
        assertThat(model.turns()).allMatch(turn -> turn.carriesApiKey(MODEL_KEY));
        assertThat(model.remainingReplies()).isZero();
    }

    @Test
    void aBackgroundQuestionWaitsForTheUserAndTheAnswerClearsIt() {
        String marker = UUID.randomUUID().toString();
        String task = "Deploy the release " + marker;
        String question = "Which environment, " + marker + "?";
        String id = createConversation("Deployment " + marker);
        model.replyToolUse("create_schedule", Map.of("type", "immediate", "task", task))
                .replyText("Starting the deployment now.")
                .replyToolUse(
                        "needs_input",
                        Map.of("type", "choice", "prompt", question, "options", List.of("staging", "production")))
                .replyText("Waiting for your choice.");

        List<String> live = new java.util.concurrent.CopyOnWriteArrayList<>();
        var stream = java.net.http.HttpClient.newHttpClient()
                .sendAsync(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(platform.apiUrl() + "/api/notifications/stream"))
                                .header("Accept", "text/event-stream")
                                .header("Authorization", "Bearer " + platform.bootstrapToken())
                                .build(),
                        HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().forEach(live::add));
        await().atMost(WAIT).until(() -> live.stream().anyMatch(line -> line.equals("event:connected")));

        JsonNode reply = sendMessage(id, "Deploy the release " + marker);

        assertThat(reply.get("newStatus").asString()).isEqualTo("background");
        JsonNode waiting = await().atMost(WAIT)
                .until(
                        () -> conversation(id).get("conversation"),
                        c -> c.get("status").asString().equals("waiting_input"));
        assertThat(waiting.at("/state/pendingQuestion/type").asString()).isEqualTo("choice");
        assertThat(waiting.at("/state/pendingQuestion/prompt").asString()).isEqualTo(question);
        assertThat(waiting.at("/state/pendingQuestion/options").values().stream()
                        .map(JsonNode::asString)
                        .toList())
                .containsExactly("staging", "production");
        assertThat(backgroundTurns(task)).hasSize(2);
        // A scheduled run's question is also a notification, live on the user's stream too.
        assertThat(notification(id)).isNotNull();
        await().atMost(WAIT).until(() -> live.stream().anyMatch(line -> line.contains(question)));
        stream.cancel(true);
        // And the tenant's webhooks: the conversation's messages and its question, signed like every delivery.
        Received asked =
                await().atMost(WAIT).until(() -> webhook("conversation.waiting_input", question), r -> r != null);
        assertThat(asked.header("webhook-signature")).startsWith("v1,");
        assertThat(json.readTree(asked.body()).at("/pendingQuestion/options/1").asString())
                .isEqualTo("production");
        assertThat(await().atMost(WAIT)
                        .until(
                                () -> webhook("conversation.message.created", "Starting the deployment now."),
                                r -> r != null))
                .isNotNull();

        model.replyText("Deploying to staging.");
        JsonNode answered = sendMessage(id, "staging");

        assertThat(answered.at("/assistantMessage/content").asString()).isEqualTo("Deploying to staging.");
        assertThat(answered.get("newStatus").asString()).isEqualTo("active");
        JsonNode after = conversation(id).get("conversation");
        assertThat(after.get("status").asString()).isEqualTo("active");
        assertThat(after.at("/state/pendingQuestion").isNull()).isTrue();
        assertThat(model.turns().getLast().conversationText()).contains("user: staging");
        // The answering turn knows which question it answers, though the stored conversation no longer waits.
        JsonNode system =
                java.util.Objects.requireNonNull(model.turns().getLast().body()).path("system");
        String systemText = system.isString()
                ? system.asString()
                : system.values().stream()
                        .map(block -> block.path("text").asString(""))
                        .reduce("", String::concat);
        assertThat(systemText).contains("The user is responding to your question (choice): \"" + question + "\"");
        assertThat(model.remainingReplies()).isZero();
    }

    @Test
    void archivingStopsACronScheduleWhileAnIdenticalOneFires() {
        String marker = UUID.randomUUID().toString();
        String keptTask = "Report the weather " + marker;
        String archivedTask = "Report the tides " + marker;
        // Both schedules must get the same first instant: not too close to a minute boundary.
        await().atMost(Duration.ofSeconds(10)).until(() -> secondsToNextMinute() >= 8);
        String kept = createConversation("Weather " + marker);
        String archived = createConversation("Tides " + marker);
        try {
            model.replyToolUse(
                            "create_schedule", Map.of("type", "cron", "cron_expression", "* * * * *", "task", keptTask))
                    .replyText("Weather every minute.")
                    .replyToolUse(
                            "create_schedule",
                            Map.of("type", "cron", "cron_expression", "* * * * *", "task", archivedTask))
                    .replyText("Tides every minute.")
                    .replyText("Sunny.");
            assertThat(sendMessage(kept, "Weather every minute")
                            .get("newStatus")
                            .asString())
                    .isEqualTo("background");
            assertThat(sendMessage(archived, "Tides every minute")
                            .get("newStatus")
                            .asString())
                    .isEqualTo("background");
            Instant firstInstant = Instant.parse(
                    conversation(archived).at("/conversation/nextRunAt").asString());
            assertThat(Instant.parse(
                            conversation(kept).at("/conversation/nextRunAt").asString()))
                    .isEqualTo(firstInstant);
            assertThat(firstInstant).isAfter(Instant.now());

            HttpResponse<String> patched = client.send("PATCH", "/api/conversations/" + archived, """
                    {"status":"archived"}""");

            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            JsonNode archivedView = PlatformClient.JSON.readTree(patched.body()).get("conversation");
            assertThat(archivedView.get("status").asString()).isEqualTo("archived");
            assertThat(archivedView.get("schedule").isNull()).isTrue();
            assertThat(archivedView.get("nextRunAt").isNull()).isTrue();
            // The kept schedule fires at the instant both had...
            await().atMost(Duration.ofSeconds(75)).until(() -> workerMessage(kept, "Sunny.") != null);
            assertThat(Instant.parse(
                            workerMessage(kept, "Sunny.").get("createdAt").asString()))
                    .isAfterOrEqualTo(firstInstant.truncatedTo(ChronoUnit.SECONDS));
            // ...and the archived one stays silent past it.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> backgroundTurns(archivedTask).isEmpty()
                            && workerMessages(archived).isEmpty());
            assertThat(conversation(archived).at("/conversation/status").asString())
                    .isEqualTo("archived");
            assertThat(model.remainingReplies()).isZero();
        } finally {
            client.send("PATCH", "/api/conversations/" + kept, """
                    {"status":"archived"}""");
        }
    }

    private static final tools.jackson.databind.json.JsonMapper json =
            tools.jackson.databind.json.JsonMapper.builder().build();

    /** The first webhook of {@code event} whose body contains {@code text}, or null. */
    private @Nullable Received webhook(String event, String text) {
        return receiver.received().stream()
                .filter(r -> event.equals(r.header("x-agentry-event"))
                        && r.bodyText().contains(text))
                .findFirst()
                .orElse(null);
    }

    private static long secondsToNextMinute() {
        Instant now = Instant.now();
        return Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES))
                .toSeconds();
    }

    /** The model calls of the background runs of a task: their transcript ends with the task. */
    private List<RecordedRequest> backgroundTurns(String task) {
        return model.turns().stream()
                .filter(turn -> turn.conversationText().contains("Continue the background task: " + task))
                .toList();
    }

    private String createConversation(String title) {
        HttpResponse<String> response = client.send("POST", "/api/conversations", """
                {"title":"%s"}""".formatted(title));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode conversation = PlatformClient.JSON.readTree(response.body()).get("conversation");
        assertThat(conversation.get("status").asString()).isEqualTo("active");
        return conversation.get("id").asString();
    }

    private JsonNode sendMessage(String id, String content) {
        HttpResponse<String> response =
                client.send("POST", "/api/conversations/" + id + "/messages", """
                {"content":"%s"}""".formatted(content));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PlatformClient.JSON.readTree(response.body());
    }

    private JsonNode conversation(String id) {
        return get("/api/conversations/" + id);
    }

    private List<JsonNode> workerMessages(String id) {
        return conversation(id).get("messages").values().stream()
                .filter(m -> m.get("source").asString().equals("worker"))
                .toList();
    }

    private @Nullable JsonNode workerMessage(String id, String content) {
        return workerMessages(id).stream()
                .filter(m -> m.get("role").asString().equals("assistant"))
                .filter(m -> m.get("content").asString().contains(content))
                .findFirst()
                .orElse(null);
    }

    private @Nullable JsonNode notification(String conversationId) {
        return get("/api/notifications").get("notifications").values().stream()
                .filter(n -> n.get("conversationId").asString("").equals(conversationId))
                .findFirst()
                .orElse(null);
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = client.send("GET", path, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return PlatformClient.JSON.readTree(response.body());
    }
}
