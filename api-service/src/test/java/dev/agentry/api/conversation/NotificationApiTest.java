package dev.agentry.api.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.notification.Notifications;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class NotificationApiTest extends ConversationApiSupport {

    @Autowired
    Notifications notifications;

    @Autowired
    Conversations conversations;

    /** Notifications come from the projector only; these tests write them as it does. */
    private String notify(String conversationId, String title) {
        Conversation c = conversations.find(UUID.fromString(conversationId)).orElseThrow();
        notifications.create(c.tenantId(), c.userId(), c.id(), title, "body of " + title);
        return jdbc.sql("select id::text from notifications where title = ?")
                .param(title)
                .query(String.class)
                .single();
    }

    private SseLines stream(String lastEventId) {
        HttpRequest.Builder request = request("/api/notifications/stream")
                .GET()
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + TOKEN);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseLines(request.build());
    }

    private static List<String> titles(SseLines lines) {
        return lines.data("notification").stream()
                .map(data -> json.readTree(data).get("title").asString())
                .toList();
    }

    @Test
    void streamsTheCallersNewNotificationsLiveAndAfterLastEventIdOnReconnecting() {
        String conversation = createConversation(TOKEN);
        Conversation c = conversations.find(UUID.fromString(conversation)).orElseThrow();
        String before = notify(conversation, "before-" + UUID.randomUUID());
        String live = "live-" + UUID.randomUUID();
        String missed1 = "missed-1-" + UUID.randomUUID();
        String missed2 = "missed-2-" + UUID.randomUUID();
        String lastSeen;
        try (SseLines first = stream(null)) {
            assertThat(first.status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !first.data("connected").isEmpty());
            notifications.create(c.tenantId(), "another-user", null, "not-yours", "someone else's");
            String liveId = notify(conversation, live);

            await().atMost(Duration.ofSeconds(10)).until(() -> titles(first).contains(live));
            assertThat(titles(first)).containsExactly(live);
            JsonNode event = json.readTree(first.data("notification").getFirst());
            assertThat(event.get("id").asString()).isEqualTo(liveId);
            assertThat(event.get("conversationId").asString()).isEqualTo(conversation);
            assertThat(event.get("userId").asString()).isEqualTo(c.userId());
            assertThat(event.get("isRead").asBoolean()).isFalse();
            assertThat(event.get("body").asString()).isEqualTo("body of " + live);
            assertThat(json.readTree(first.data("connected").getFirst()).has("unreadCount"))
                    .isTrue();
            lastSeen = first.ids().getLast();
        }
        notify(conversation, missed1);
        notify(conversation, missed2);

        try (SseLines resumed = stream(lastSeen)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> titles(resumed).size() >= 2);
            assertThat(titles(resumed)).containsExactly(missed1, missed2).doesNotContain(live, before);
            assertThat(resumed.ids())
                    .allSatisfy(id -> assertThat(Long.parseLong(id)).isGreaterThan(Long.parseLong(lastSeen)));
        }
    }

    @Test
    void aStreamWithABadLastEventIdIsRefused() {
        Response refused = send(request("/api/notifications/stream")
                .GET()
                .header("Last-Event-ID", "yesterday")
                .header("Authorization", "Bearer " + TOKEN));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asString())
                .isEqualTo("Last-Event-ID must be the id of a notification event");
    }

    @Test
    void listsCountsMarksAndDeletesTheCallersNotifications() {
        String conversation = createConversation(TOKEN);
        String first = notify(conversation, "first-" + UUID.randomUUID());
        String second = notify(conversation, "second-" + UUID.randomUUID());
        int unreadBefore = expect(get("/api/notifications/unread/count"), 200)
                .json()
                .get("count")
                .asInt();

        JsonNode read = expect(patch("/api/notifications/" + first, "{\"isRead\":true}", TOKEN), 200)
                .json();
        JsonNode stillRead = expect(patch("/api/notifications/" + first, "{\"isRead\":false}", TOKEN), 200)
                .json();
        JsonNode unread =
                expect(get("/api/notifications?unread=true"), 200).json().get("notifications");
        JsonNode all = expect(get("/api/notifications"), 200).json().get("notifications");

        assertThat(read.get("notification").get("isRead").asBoolean()).isTrue();
        assertThat(read.get("notification").get("conversationId").asString()).isEqualTo(conversation);
        assertThat(stillRead.get("notification").get("isRead").asBoolean()).isTrue();
        assertThat(unread.valueStream().map(n -> n.get("id").asString()))
                .contains(second)
                .doesNotContain(first);
        assertThat(all.valueStream().map(n -> n.get("id").asString())).contains(first, second);
        assertThat(expect(get("/api/notifications/unread/count"), 200)
                        .json()
                        .get("count")
                        .asInt())
                .isEqualTo(unreadBefore - 1);

        assertThat(expect(post("/api/notifications/mark-all-read", ""), 200)
                        .json()
                        .get("success")
                        .asBoolean())
                .isTrue();
        assertThat(expect(get("/api/notifications/unread/count"), 200)
                        .json()
                        .get("count")
                        .asInt())
                .isZero();
        assertThat(expect(delete("/api/notifications/" + second, TOKEN), 200)
                        .json()
                        .get("success")
                        .asBoolean())
                .isTrue();
        Response again = delete("/api/notifications/" + second, TOKEN);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").asString()).isEqualTo("Notification not found");
    }

    @Test
    void patchNeedsABooleanIsRead() {
        String id = notify(createConversation(TOKEN), "patch-" + UUID.randomUUID());

        Response missing = patch("/api/notifications/" + id, "{}", TOKEN);
        Response wrongType = patch("/api/notifications/" + id, "{\"isRead\":\"maybe\"}", TOKEN);

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asString()).isEqualTo("isRead is required and must be a boolean");
        assertThat(wrongType.status()).isEqualTo(400);
    }

    @Test
    void anotherUsersNotificationIsForbiddenAndAnotherTenantsIsNotFound() {
        String id = notify(createConversation(TOKEN), "private-" + UUID.randomUUID());
        String other = anotherUsersJwt();

        assertThat(patch("/api/notifications/" + id, "{\"isRead\":true}", other).status())
                .isEqualTo(403);
        assertThat(delete("/api/notifications/" + id, other).json().get("error").asString())
                .isEqualTo("Forbidden");
        assertThat(patch("/api/notifications/" + id, "{\"isRead\":true}", OTHER_TOKEN)
                        .status())
                .isEqualTo(404);
        assertThat(expect(get("/api/notifications", other), 200).body()).doesNotContain(id);
        assertThat(expect(get("/api/notifications/unread/count", OTHER_TOKEN), 200)
                        .json()
                        .get("count")
                        .asInt())
                .isZero();
        assertThat(expect(get("/api/notifications?unread=true"), 200).body()).contains(id);
    }
}
