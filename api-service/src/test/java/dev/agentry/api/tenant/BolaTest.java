package dev.agentry.api.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.IdentityIntegrationTest;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * OWASP API1 (broken object-level authorization): every endpoint that names an object of tenant A, called with a
 * token of tenant B, answers 404, changes nothing and reveals nothing; every listing of B leaves A's objects out.
 */
class BolaTest extends IdentityIntegrationTest {

    @Test
    void everyObjectOfAnotherTenantIsNotFound() throws Exception {
        String task = createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}");
        post("/api/v1/keys", "{\"name\":\"a-key\",\"provider\":\"github\",\"token\":\"ghp_a\"}");
        post("/api/v1/mcp/servers", "{\"name\":\"a-mcp\",\"package\":\"a-mcp\"}");
        String token = post("/api/v1/tokens", "{\"name\":\"a-token\",\"role\":\"viewer\"}")
                .json()
                .get("id")
                .asString();
        String user = post("/api/v1/users", "{\"email\":\"a@tenant-a.test\",\"password\":\"tenant a password\"}")
                .json()
                .get("id")
                .asString();
        jdbc.sql("""
                insert into workspaces (task_id, tenant_id, worker_id, size_bytes, created_at, last_used_at)
                values (?::uuid, 'tenant-a', 'w1', 1, now(), now())""").param(task).update();

        List<Function<String, Response>> calls = List.of(
                t -> get("/api/v1/tasks/" + task, t),
                t -> get("/api/v1/tasks/" + task + "?include=iterations", t),
                t -> get("/api/v1/tasks/" + task + "/stream", t),
                t -> post("/api/v1/tasks/" + task + "/cancel", "", t),
                t -> post("/api/v1/tasks/" + task + "/instruct", "{\"prompt\":\"more\"}", t),
                t -> delete("/api/v1/workspaces/" + task, t),
                t -> delete("/api/v1/keys/a-key", t),
                t -> delete("/api/v1/mcp/servers/a-mcp", t),
                t -> delete("/api/v1/tokens/" + token, t),
                t -> delete("/api/v1/users/" + user, t));
        for (int i = 0; i < calls.size(); i++) {
            Response response = calls.get(i).apply(OTHER_TOKEN);
            assertThat(response.status()).as("call %d: %s", i, response.body()).isEqualTo(404);
        }

        for (String listing : List.of(
                "/api/v1/tasks",
                "/api/v1/keys",
                "/api/v1/mcp/servers",
                "/api/v1/tokens",
                "/api/v1/users",
                "/api/v1/workspaces")) {
            Response response = get(listing, OTHER_TOKEN);
            assertThat(response.status()).as(listing).isEqualTo(200);
            assertThat(response.body())
                    .as(listing)
                    .doesNotContain(task, "a-key", "a-mcp", token, user, "a@tenant-a.test");
        }
        assertThat(get("/api/v1/tasks/" + task).json().get("status").asString()).isEqualTo("pending");
        assertThat(get("/api/v1/keys").body()).contains("a-key");
        assertThat(get("/api/v1/mcp/servers").body()).contains("a-mcp");
        assertThat(get("/api/v1/tokens").json().toString()).contains(token);
        assertThat(get("/api/v1/users").body()).contains(user);
        assertThat(jdbc.sql("select count(*) from workspaces where task_id = ?::uuid and not deleting")
                        .param(task)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void anOperatorTokenOfOneTenantIsStillScopedWithoutTheHeader() {
        String task = createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}");
        Response asB = send(request("/api/v1/tasks/" + task).GET(), TOKEN, "tenant-b");
        Response withinA = send(request("/api/v1/tasks/" + task).GET(), TOKEN, "tenant-a");

        assertThat(asB.status()).isEqualTo(404);
        assertThat(withinA.status()).isEqualTo(200);
        assertThat(send(
                                request("/api/v1/tasks")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}"))
                                        .header("Content-Type", "application/json"),
                                OTHER_TOKEN,
                                "tenant-a")
                        .status())
                .isEqualTo(403);
    }
}
