package dev.agentry.api.conversation;

import dev.agentry.api.ApiIntegrationTest;
import java.net.http.HttpRequest;
import java.util.UUID;

/** The calls the seed 003 tests need beyond the base class: PATCH, DELETE, and a second user of the tenant. */
abstract class ConversationApiSupport extends ApiIntegrationTest {

    protected Response patch(String path, String body, String token) {
        return send(request(path)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    protected Response delete(String path, String token) {
        return send(request(path).DELETE().header("Authorization", "Bearer " + token));
    }

    /** A new member user of the bootstrap tenant, signed in: a JWT of another user than the bootstrap token's. */
    protected String anotherUsersJwt() {
        return anotherUsersJwt("member");
    }

    protected String anotherUsersJwt(String role) {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        String password = "a long enough password";
        Response created = post(
                "/api/v1/users",
                "{\"email\":\"" + email + "\",\"name\":\"Other\",\"password\":\"" + password + "\",\"role\":\"" + role
                        + "\"}");
        expect(created, 201);
        Response login = send(request("/api/v1/auth/login")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"))
                .header("Content-Type", "application/json"));
        expect(login, 200);
        return login.json().get("access_token").asString();
    }

    protected String createConversation(String token) {
        Response created = post("/api/conversations", "{\"title\":\"Plans\"}", token);
        expect(created, 201);
        return created.json().get("conversation").get("id").asString();
    }

    protected static Response expect(Response response, int status) {
        if (response.status() != status) {
            throw new AssertionError("expected " + status + ", got " + response.status() + ": " + response.body());
        }
        return response;
    }
}
