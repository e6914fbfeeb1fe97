package dev.agentry.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.api.tenant.ApiTokens;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class WebhookApiTest extends ApiIntegrationTest {

    private static final SecretSealer sealer = SecretSealer.fromSpec(SEALING_KEYS);

    @Autowired
    private ApiTokens tokens;

    @Test
    void listsDeliveriesNewestFirstWithEveryAttemptAndPagesWithACursor() {
        UUID task = UUID.randomUUID();
        Instant base = Instant.now().minusSeconds(60);
        UUID oldest = delivery("tenant-a", task, "succeeded", base);
        UUID middle = delivery("tenant-a", task, "dead", base.plusSeconds(1));
        UUID newest = delivery("tenant-a", task, "pending", base.plusSeconds(2));
        attempt(middle, 1, 503, null, "{\"busy\":true}");
        attempt(middle, 2, null, "No complete answer within 15000 ms.", null);

        // Filtered by task: other tests of this class add deliveries of the same tenant.
        Response first = get("/api/v1/webhooks/deliveries?limit=2&task_id=" + task);
        assertThat(first.status()).isEqualTo(200);
        JsonNode page = first.json();
        assertThat(ids(page)).containsExactly(newest.toString(), middle.toString());
        JsonNode withAttempts = page.get("deliveries").get(1);
        assertThat(withAttempts.get("webhook_id").asString()).isEqualTo(middle.toString());
        assertThat(withAttempts.get("status").asString()).isEqualTo("dead");
        assertThat(withAttempts.get("attempts")).hasSize(2);
        JsonNode attempt = withAttempts.get("attempts").get(0);
        assertThat(attempt.get("number").asInt()).isEqualTo(1);
        assertThat(attempt.get("status_code").asInt()).isEqualTo(503);
        assertThat(attempt.get("latency_ms").asLong()).isEqualTo(42);
        assertThat(attempt.get("response_body").asString()).isEqualTo("{\"busy\":true}");
        assertThat(attempt.has("attempted_at")).isTrue();
        assertThat(withAttempts.get("attempts").get(1).get("error").asString()).contains("No complete answer");

        Response second = get("/api/v1/webhooks/deliveries?limit=2&task_id=" + task + "&cursor="
                + page.get("next_cursor").asString());
        assertThat(ids(second.json())).containsExactly(oldest.toString());
        assertThat(second.json().has("next_cursor")).isFalse();

        assertThat(ids(get("/api/v1/webhooks/deliveries?task_id=" + task + "&status=dead")
                        .json()))
                .containsExactly(middle.toString());
    }

    @Test
    void refusesAnUnknownStatusFilterNamingTheField() {
        Response response = get("/api/v1/webhooks/deliveries?status=lost");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("fields").has("status")).isTrue();
    }

    @Test
    void anotherTenantsDeliveryIsNotFoundAndCannotBeRedelivered() {
        UUID mine = delivery("tenant-a", UUID.randomUUID(), "succeeded", Instant.now());

        assertThat(get("/api/v1/webhooks/deliveries/" + mine, OTHER_TOKEN).status())
                .isEqualTo(404);
        assertThat(post("/api/v1/webhooks/deliveries/" + mine + "/redeliver", "", OTHER_TOKEN)
                        .status())
                .isEqualTo(404);
        assertThat(get("/api/v1/webhooks/deliveries", OTHER_TOKEN).body()).doesNotContain(mine.toString());
        assertThat(redeliveryRequested(mine)).isFalse();
        assertThat(get("/api/v1/webhooks/deliveries/" + mine).status()).isEqualTo(200);
    }

    @Test
    void redeliveryIsAcceptedAndLeftForTheScheduler() {
        UUID delivery = delivery("tenant-a", UUID.randomUUID(), "dead", Instant.now());

        Response response = post("/api/v1/webhooks/deliveries/" + delivery + "/redeliver", "");

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.json().get("status").asString()).isEqualTo("redelivery_requested");
        assertThat(redeliveryRequested(delivery)).isTrue();
        assertThat(get("/api/v1/webhooks/deliveries/" + delivery).json().has("redelivery_requested_at"))
                .isTrue();
    }

    @Test
    void rotatingShowsTheNewSecretOnceStoresItSealedAndKeepsThePreviousSigningForTheWindow() {
        Response first = post("/api/v1/webhooks/secret/rotate", "", OTHER_TOKEN);
        assertThat(first.status()).isEqualTo(201);
        String original = first.json().get("secret").asString();
        assertThat(original).startsWith("whsec_");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-store");

        Response second = post("/api/v1/webhooks/secret/rotate", "", OTHER_TOKEN);
        String rotated = second.json().get("secret").asString();
        assertThat(rotated).startsWith("whsec_").isNotEqualTo(original);
        assertThat(second.json().has("previous_expires_at")).isTrue();

        record Stored(String current, String previous) {}
        Stored stored = jdbc.sql(
                        "select secret_sealed, previous_secret_sealed from webhook_secrets where tenant_id = 'tenant-b'")
                .query((rs, n) -> new Stored(rs.getString(1), rs.getString(2)))
                .single();
        assertThat(stored.current()).doesNotContain(rotated.substring(6));
        assertThat(sealer.open(new SealedSecret(stored.current()))).isEqualTo(rotated);
        assertThat(sealer.open(new SealedSecret(stored.previous()))).isEqualTo(original);

        Response metadata = get("/api/v1/webhooks/secret", OTHER_TOKEN);
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.json().get("rotating").asBoolean()).isTrue();
        assertThat(metadata.body()).doesNotContain(rotated.substring(6)).doesNotContain("secret\"");
    }

    @Test
    void aTenantWithoutASecretIsToldHowToGetOne() {
        jdbc.sql("delete from webhook_secrets where tenant_id = 'tenant-a'").update();

        Response response = get("/api/v1/webhooks/secret");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("message").asString()).contains("/api/v1/webhooks/secret/rotate");
    }

    @Test
    void tenantsChooseWhichTaskEventsTheyReceive() {
        assertThat(get("/api/v1/webhooks/settings")
                        .json()
                        .get("event_types")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactly("task.completed", "task.failed", "task.pr_created");

        Response updated = send(request("/api/v1/webhooks/settings")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"event_types\":[\"task.started\",\"task.completed\"]}"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN));
        Response invalid = send(request("/api/v1/webhooks/settings")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"event_types\":[\"task.exploded\"]}"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN));

        assertThat(updated.status()).isEqualTo(200);
        assertThat(get("/api/v1/webhooks/settings")
                        .json()
                        .get("event_types")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactly("task.started", "task.completed");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("fields").has("event_types")).isTrue();
        assertThat(get("/api/v1/webhooks/settings", OTHER_TOKEN)
                        .json()
                        .get("event_types")
                        .valueStream()
                        .map(JsonNode::asString))
                .containsExactly("task.completed", "task.failed", "task.pr_created");
    }

    @Test
    void settingsOfferAndAcceptEveryEventTypeIncludingIterationCompleted() {
        // A tenant of its own: the test above expects tenant-a and tenant-b on the default subscription.
        String token = "test-token-tenant-iterations";
        tokens.ensure(new TenantId("tenant-iterations"), "iterations", token);

        assertThat(strings(get("/api/v1/webhooks/settings", token).json().get("available")))
                .containsExactly(
                        "task.started",
                        "task.completed",
                        "task.failed",
                        "task.pr_created",
                        "task.iteration.completed",
                        "conversation.message.created",
                        "conversation.waiting_input");
        Response updated = putSettings("{\"event_types\":[\"task.iteration.completed\",\"task.failed\"]}", token);
        Response withNull = putSettings("{\"event_types\":[\"task.completed\",null]}", token);

        assertThat(updated.status()).isEqualTo(200);
        assertThat(strings(updated.json().get("event_types")))
                .containsExactly("task.iteration.completed", "task.failed");
        assertThat(jdbc.sql("select event_types from webhook_settings where tenant_id = 'tenant-iterations'")
                        .query((rs, n) -> List.of((String[]) rs.getArray(1).getArray()))
                        .single())
                .containsExactly("task.iteration.completed", "task.failed");
        assertThat(withNull.status()).isEqualTo(400);
        assertThat(withNull.json().get("fields").has("event_types")).isTrue();
        assertThat(strings(get("/api/v1/webhooks/settings", token).json().get("event_types")))
                .containsExactly("task.iteration.completed", "task.failed");
    }

    @Test
    void settingsTakeTheTenantsEndpointForConversationEvents() {
        String token = "test-token-tenant-conversations";
        tokens.ensure(new TenantId("tenant-conversations"), "conversations", token);

        Response set = putSettings(
                "{\"event_types\":[\"conversation.message.created\",\"task.completed\"],"
                        + "\"url\":\"https://hooks.example.com/agentry\"}",
                token);
        Response keptUrl = putSettings("{\"event_types\":[\"conversation.waiting_input\"]}", token);
        Response badUrl = putSettings("{\"event_types\":[],\"url\":\"ftp://hooks.example.com\"}", token);
        String afterBad =
                get("/api/v1/webhooks/settings", token).json().get("url").asString();
        Response removed = putSettings("{\"event_types\":[\"conversation.waiting_input\"],\"url\":\"\"}", token);

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("url").asString()).isEqualTo("https://hooks.example.com/agentry");
        assertThat(strings(set.json().get("event_types")))
                .containsExactly("conversation.message.created", "task.completed");
        assertThat(keptUrl.json().get("url").asString()).isEqualTo("https://hooks.example.com/agentry");
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.json().get("fields").get("url").asString())
                .isEqualTo("must be an absolute http or https URL");
        assertThat(afterBad).isEqualTo("https://hooks.example.com/agentry");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.json().hasNonNull("url")).isFalse();
        assertThat(jdbc.sql("select count(*) from scheduler_webhook_subscriptions"
                                + " where tenant_id = 'tenant-conversations' and url is not null")
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    private Response putSettings(String body, String token) {
        return send(request("/api/v1/webhooks/settings")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    private UUID delivery(String tenant, UUID task, String status, Instant createdAt) {
        UUID id = UUID.randomUUID();
        OffsetDateTime at = createdAt.atOffset(ZoneOffset.UTC);
        jdbc.sql("""
                        insert into webhook_deliveries (id, tenant_id, task_id, event_id, event_type, url, body,
                                status, attempts, created_at, updated_at)
                        values (?, ?, ?, ?, 'task.completed', 'https://example.com/hook', ?, ?, 0, ?, ?)""")
                .params(id, tenant, task, UUID.randomUUID(), "{}".getBytes(), status, at, at)
                .update();
        return id;
    }

    private void attempt(UUID delivery, int number, Integer status, String error, String body) {
        jdbc.sql("""
                        insert into webhook_attempts (delivery_id, number, tenant_id, attempted_at, latency_ms,
                                status_code, response_body, error)
                        values (?, ?, 'tenant-a', now(), 42, ?, ?, ?)""").params(delivery, number, status, body, error).update();
        jdbc.sql("update webhook_deliveries set attempts = ? where id = ?")
                .params(number, delivery)
                .update();
    }

    private boolean redeliveryRequested(UUID delivery) {
        return jdbc.sql("select redeliver_requested_at is not null from webhook_deliveries where id = ?")
                .param(delivery)
                .query(Boolean.class)
                .single();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("deliveries").forEach(node -> ids.add(node.get("id").asString()));
        return ids;
    }
}
