package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.secret.SecretSealer;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.webhook.StandardWebhooksVerifier;
import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Received;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * From task submission to a verified webhook through the whole local platform: the API stores the task with its
 * callback_url, the worker runs it (echo runtime), the scheduler delivers the signed payload to a local receiver, the
 * API lists the delivery with its attempt, and after a secret rotation a redelivery arrives with the same webhook-id,
 * signed with both the new and the old secret. A task that names its own {@code webhook_events} gets exactly those.
 */
class WebhookEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;

    @Test
    void aFinishedTaskReachesItsCallbackSignedAndCanBeRedelivered() {
        TestDatabase.Database database = TestDatabase.create();
        String run = UUID.randomUUID().toString();
        LocalSettings settings = LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "e2e-webhooks-share-" + run)
                .withProperty("agentry.worker.worker-id", "e2e-webhooks-worker-" + run)
                .withProperty("agentry.api.projector-group", "e2e-webhooks-projector-" + run)
                .withProperty("agentry.scheduler.webhooks.consumer-group", "e2e-webhooks-delivery-" + run)
                // The broker is shared with other test classes, whose events name tasks this database never had:
                // skip them at once rather than wait for their rows.
                .withProperty("agentry.scheduler.webhooks.missing-task-wait", "0s")
                // The scheduler opens the signing secrets the API sealed; the receiver listens on loopback.
                .withProperty("agentry.secrets.sealing-keys", SecretSealer.newSpec("k1"))
                .withProperty("agentry.scheduler.webhooks.allowed-networks", "127.0.0.0/8")
                .withProperty("agentry.scheduler.webhooks.sweep-interval", "200ms");
        try (WebhookReceiver receiver = WebhookReceiver.answering(Reply.ok());
                LocalPlatform platform = LocalPlatform.start(settings)) {
            PlatformClient client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
            HttpResponse<String> rotated = client.send("POST", "/api/v1/webhooks/secret/rotate", "");
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
            String secret = json.readTree(rotated.body()).get("secret").asString();

            HttpResponse<String> created = client.send("POST", "/api/v1/tasks", """
                    {"repo_url":"https://example.invalid/e2e.git","prompt":"hello webhooks","config":{"cli":"echo"},
                     "callback_url":"%s"}""".formatted(receiver.url()));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String taskId = json.readTree(created.body()).get("id").asString();

            await().atMost(WAIT).until(() -> !receiver.received().isEmpty());
            Received webhook = receiver.received().getFirst();
            assertThat(StandardWebhooksVerifier.verify(secret, webhook, Instant.now()))
                    .isTrue();
            JsonNode body = json.readTree(webhook.body());
            assertThat(body.get("task_id").asString()).isEqualTo(taskId);
            assertThat(body.get("status").asString()).isEqualTo("completed");
            assertThat(webhook.header("x-agentry-event")).isEqualTo("task.completed");

            JsonNode deliveries = awaitDelivery(client, taskId);
            JsonNode delivery = deliveries.get("deliveries").get(0);
            assertThat(delivery.get("webhook_id").asString()).isEqualTo(webhook.header("webhook-id"));
            assertThat(delivery.get("attempts").get(0).get("status_code").asInt())
                    .isEqualTo(200);

            // Rotate: the redelivery is signed with the new secret and, during the window, the old one too.
            HttpResponse<String> again = client.send("POST", "/api/v1/webhooks/secret/rotate", "");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
            String newSecret = json.readTree(again.body()).get("secret").asString();

            HttpResponse<String> redeliver = client.send(
                    "POST", "/api/v1/webhooks/deliveries/" + delivery.get("id").asString() + "/redeliver", "");
            assertThat(redeliver.statusCode()).as(redeliver.body()).isEqualTo(202);
            await().atMost(WAIT).until(() -> receiver.received().size() >= 2);
            List<Received> all = receiver.received();
            assertThat(all.get(1).header("webhook-id")).isEqualTo(webhook.header("webhook-id"));
            assertThat(all.get(1).bodyText()).isEqualTo(webhook.bodyText());
            Received redelivered = all.get(1);
            assertThat(redelivered.header("webhook-signature").split(" ")).hasSize(2);
            assertThat(StandardWebhooksVerifier.verify(newSecret, redelivered, Instant.now()))
                    .isTrue();
            assertThat(StandardWebhooksVerifier.verifyStandard(
                            secret,
                            redelivered.header("webhook-id"),
                            redelivered.header("webhook-timestamp"),
                            redelivered.header("webhook-signature"),
                            redelivered.body(),
                            Instant.now()))
                    .isTrue();

            // A task that chooses its own events gets exactly those, whatever its tenant subscribes to.
            String chosenTask = """
                    {"repo_url":"https://example.invalid/e2e.git","prompt":"my events","config":{"cli":"echo"},
                     "callback_url":"%s","webhook_events":["task.started","task.iteration.completed"]}""".formatted(receiver.url("/chosen"));
            HttpResponse<String> chosen = client.send("POST", "/api/v1/tasks", chosenTask);
            assertThat(chosen.statusCode()).as(chosen.body()).isEqualTo(201);
            String chosenId = json.readTree(chosen.body()).get("id").asString();
            await().atMost(WAIT).until(() -> eventTypes(client, chosenId, true).size() >= 2);
            // Both come from the same two events, so a third delivery (task.completed) would exist by now.
            assertThat(eventTypes(client, chosenId, false))
                    .containsExactlyInAnyOrder("task.started", "task.iteration.completed");
            assertThat(receiver.received())
                    .filteredOn(r -> r.path().equals("/chosen"))
                    .extracting(r -> r.header("x-agentry-event"))
                    .containsExactlyInAnyOrder("task.started", "task.iteration.completed");
        }
    }

    private List<String> eventTypes(PlatformClient client, String taskId, boolean succeededOnly) {
        JsonNode page = json.readTree(client.send("GET", "/api/v1/webhooks/deliveries?task_id=" + taskId, null)
                .body());
        List<String> types = new java.util.ArrayList<>();
        page.get("deliveries").forEach(delivery -> {
            if (!succeededOnly || delivery.get("status").asString().equals("succeeded")) {
                types.add(delivery.get("event_type").asString());
            }
        });
        return types;
    }

    private JsonNode awaitDelivery(PlatformClient client, String taskId) {
        await().atMost(WAIT).until(() -> {
            JsonNode page = json.readTree(client.send("GET", "/api/v1/webhooks/deliveries?task_id=" + taskId, null)
                    .body());
            return page.get("deliveries").size() == 1
                    && page.get("deliveries").get(0).get("status").asString().equals("succeeded");
        });
        return json.readTree(client.send("GET", "/api/v1/webhooks/deliveries?task_id=" + taskId, null)
                .body());
    }
}
