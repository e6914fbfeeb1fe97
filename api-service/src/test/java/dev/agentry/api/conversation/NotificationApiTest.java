package dev.agentry.api.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.notification.Notifications;
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
