package dev.agentry.api.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConversationApiTest extends ConversationApiSupport {

    @Test
    void createsAConversationInTheSeedsShape() {
        Response created = expect(post("/api/conversations", "{\"title\":\"Trip\"}"), 201);

        JsonNode c = created.json().get("conversation");
        assertThat(c.get("title").asString()).isEqualTo("Trip");
        assertThat(c.get("status").asString()).isEqualTo("active");
        assertThat(c.get("userId").asString()).isNotBlank();
        assertThat(c.has("schedule")).isTrue();
        assertThat(c.get("schedule").isNull()).isTrue();
        assertThat(c.get("nextRunAt").isNull()).isTrue();
        assertThat(c.get("state").get("step").asString()).isEqualTo("initial");
        assertThat(c.get("state").get("context").isObject()).isTrue();
        assertThat(c.get("state").get("data").isObject()).isTrue();
        assertThat(c.get("state").get("pendingQuestion").isNull()).isTrue();
        assertThat(c.get("createdAt").asString()).endsWith("Z");
        assertThat(c.has("created_at")).isFalse();
    }

    @Test
    void createWithoutABodyIsANewConversation() {
        Response created = send(request("/api/conversations")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + TOKEN));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("conversation").get("title").asString()).isEqualTo("New Conversation");
    }

    @Test
    void listsAndReadsTheCallersConversationsWithTheirMessages() {
        String id = createConversation(TOKEN);

        JsonNode list = expect(get("/api/conversations"), 200).json().get("conversations");
        JsonNode one = expect(get("/api/conversations/" + id), 200).json();

        assertThat(list.valueStream().map(c -> c.get("id").asString())).contains(id);
        assertThat(one.get("conversation").get("id").asString()).isEqualTo(id);
        assertThat(one.get("messages").isArray()).isTrue();
        assertThat(one.get("messages").size()).isZero();
    }

    @Test
    void patchRenamesArchivesAndRefusesOtherStatuses() {
        String id = createConversation(TOKEN);

        Response renamed = expect(patch("/api/conversations/" + id, "{\"title\":\"Renamed\"}", TOKEN), 200);
        Response emptyTitle = expect(patch("/api/conversations/" + id, "{\"title\":\"\"}", TOKEN), 200);
        Response background = patch("/api/conversations/" + id, "{\"status\":\"background\"}", TOKEN);
        Response unknown = patch("/api/conversations/" + id, "{\"status\":\"sleeping\"}", TOKEN);
        Response archived = expect(patch("/api/conversations/" + id, "{\"status\":\"archived\"}", TOKEN), 200);

        assertThat(renamed.json().get("conversation").get("title").asString()).isEqualTo("Renamed");
        assertThat(emptyTitle.json().get("conversation").get("title").asString())
                .isEqualTo("Renamed");
        assertThat(background.status()).isEqualTo(400);
        assertThat(background.json().get("error").asString()).isEqualTo("Invalid status: must be active or archived");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(archived.json().get("conversation").get("status").asString()).isEqualTo("archived");
        Response reopened = expect(patch("/api/conversations/" + id, "{\"status\":\"active\"}", TOKEN), 200);
        assertThat(reopened.json().get("conversation").get("status").asString()).isEqualTo("active");
    }

    @Test
    void deleteRemovesTheConversation() {
        String id = createConversation(TOKEN);

        Response deleted = expect(delete("/api/conversations/" + id, TOKEN), 200);

        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        Response gone = get("/api/conversations/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("error").asString()).isEqualTo("Conversation not found");
        assertThat(delete("/api/conversations/" + id, TOKEN).status()).isEqualTo(404);
    }

    @Test
    void anotherUsersConversationIsForbiddenAndAnotherTenantsIsNotFound() {
        String id = createConversation(TOKEN);
        String other = anotherUsersJwt();
        String path = "/api/conversations/" + id;

        for (Response forbidden : new Response[] {
            get(path, other),
            patch(path, "{\"title\":\"x\"}", other),
            delete(path, other),
            post(path + "/messages", "{\"content\":\"hi\"}", other),
            patch(path + "/pause", "", other)
        }) {
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.json().get("error").asString()).isEqualTo("Forbidden");
        }
        for (Response notFound :
                new Response[] {get(path, OTHER_TOKEN), patch(path, "{}", OTHER_TOKEN), delete(path, OTHER_TOKEN)}) {
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.json().get("error").asString()).isEqualTo("Conversation not found");
        }
        assertThat(expect(get("/api/conversations", other), 200).body()).doesNotContain(id);
        assertThat(expect(get(path), 200)
                        .json()
                        .get("conversation")
                        .get("title")
                        .asString())
                .isEqualTo("Plans");
    }

    @Test
    void aTokenActsAsTheUserWhoMadeIt() {
        String jwt = anotherUsersJwt("admin");
        Response token = expect(post("/api/v1/tokens", "{\"name\":\"mine\",\"role\":\"member\"}", jwt), 201);
        String id = createConversation(jwt);

        assertThat(get("/api/conversations/" + id, token.json().get("token").asString())
                        .status())
                .isEqualTo(200);
        assertThat(get("/api/conversations/" + id).status()).isEqualTo(403);
    }

    @Test
    void nonUuidIdsAreBadRequests() {
        for (Response bad : new Response[] {
            get("/api/conversations/not-a-uuid"),
            patch("/api/conversations/not-a-uuid", "{}", TOKEN),
            delete("/api/conversations/not-a-uuid", TOKEN),
            post("/api/conversations/not-a-uuid/messages", "{\"content\":\"hi\"}"),
            patch("/api/notifications/not-a-uuid", "{\"isRead\":true}", TOKEN),
            delete("/api/notifications/not-a-uuid", TOKEN)
        }) {
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("error").asString()).isEqualTo("Invalid id: must be a UUID");
        }
    }

    @Test
    void refusesEmptyOrMissingContentAndArchivedConversationsWritingNothing() {
        String id = createConversation(TOKEN);
        String path = "/api/conversations/" + id + "/messages";

        Response empty = post(path, "{\"content\":\"\"}");
        Response blank = post(path, "{\"content\":\"   \"}");
        Response missing = post(path, "{}");
        Response wrongType = post(path, "{\"content\":{\"a\":1}}");
        Response malformed = post(path, "{\"content\":");
        expect(patch("/api/conversations/" + id, "{\"status\":\"archived\"}", TOKEN), 200);
        Response archived = post(path, "{\"content\":\"hello\"}");

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("error").asString()).isEqualTo("Message content is required");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asString()).isEqualTo("Message content is required");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asString()).isNotBlank();
        assertThat(archived.status()).isEqualTo(400);
        assertThat(archived.json().get("error").asString()).isEqualTo("Cannot send messages to archived conversation");
        assertThat(jdbc.sql("select count(*) from conversation_messages where conversation_id = ?")
                        .param(UUID.fromString(id))
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from outbox where msg_key = ?")
                        .param(id)
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void pauseResumeAndRunNowNeedABackgroundConversation() {
        String id = createConversation(TOKEN);

        Response pause = patch("/api/conversations/" + id + "/pause", "", TOKEN);
        Response resume = patch("/api/conversations/" + id + "/resume", "", TOKEN);
        Response runNow = post("/api/conversations/" + id + "/run-now", "");

        assertThat(pause.status()).isEqualTo(400);
        assertThat(pause.json().get("error").asString()).isEqualTo("Can only pause background agents");
        assertThat(resume.json().get("error").asString()).isEqualTo("Can only resume background agents");
        assertThat(runNow.json().get("error").asString()).isEqualTo("Can only run background agents");
    }

    @Test
    void healthAnswersTheSeedsBody() {
        Response health = expect(get("/api/health"), 200);

        assertThat(health.json().get("status").asString()).isEqualTo("ok");
        assertThat(health.json().size()).isEqualTo(1);
    }

    @Test
    void springdocShowsEverySeed003Endpoint() {
        JsonNode paths =
                expect(send(request("/api/docs/generated").GET()), 200).json().get("paths");

        assertThat(paths.propertyNames())
                .contains(
                        "/api/conversations",
                        "/api/conversations/{id}",
                        "/api/conversations/{id}/messages",
                        "/api/conversations/{id}/messages/stream",
                        "/api/conversations/{id}/pause",
                        "/api/conversations/{id}/resume",
                        "/api/conversations/{id}/run-now",
                        "/api/notifications",
                        "/api/notifications/unread/count",
                        "/api/notifications/{id}",
                        "/api/notifications/mark-all-read",
                        "/api/health");
    }
}
