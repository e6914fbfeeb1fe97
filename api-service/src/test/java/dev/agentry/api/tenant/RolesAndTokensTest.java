package dev.agentry.api.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.IdentityIntegrationTest;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

class RolesAndTokensTest extends IdentityIntegrationTest {

    private static final String TASK = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}";

    @Test
    void aViewerReadsButCannotWrite() {
        String viewer = tokenWithRole("viewer");
        String id = createTask(TASK);

        assertThat(get("/api/v1/tasks/" + id, viewer).status()).isEqualTo(200);
        assertThat(get("/api/v1/quotas", viewer).status()).isEqualTo(200);
        assertThat(post("/api/v1/tasks", TASK, viewer).status()).isEqualTo(403);
        assertThat(post("/api/v1/tasks/" + id + "/cancel", "", viewer).status()).isEqualTo(403);
        assertThat(post("/api/v1/keys", "{\"name\":\"k\",\"provider\":\"github\",\"token\":\"t\"}", viewer)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/v1/tokens", "{\"name\":\"n\"}", viewer).status()).isEqualTo(403);
        assertThat(get("/api/v1/users", viewer).status()).isEqualTo(403);
        Response forbidden = post("/api/v1/tasks", TASK, viewer);
        assertThat(forbidden.json().get("error").asString()).isEqualTo("forbidden");
    }

    @Test
    void aMemberRunsTasksButDoesNotAdminister() {
        String member = tokenWithRole("member");

        assertThat(post("/api/v1/tasks", TASK, member).status()).isEqualTo(201);
        assertThat(post("/api/v1/keys", "{\"name\":\"k\",\"provider\":\"github\",\"token\":\"t\"}", member)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/v1/mcp/servers", "{\"name\":\"m\",\"package\":\"x\"}", member)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/v1/users", "{\"email\":\"a@b.c\",\"password\":\"123456789012\"}", member)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/v1/admin/tenants", "{\"id\":\"t\"}", member).status())
                .isEqualTo(403);
    }

    @Test
    void onlyAnAdminRotatesTheWebhookSigningSecret() {
        String member = tokenWithRole("member");

        assertThat(post("/api/v1/webhooks/secret/rotate", "", member).status()).isEqualTo(403);
        assertThat(put("/api/v1/webhooks/settings", "{\"event_types\":[\"task.completed\"]}", member)
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/v1/webhooks/secret/rotate", "", TOKEN).status()).isEqualTo(201);
        assertThat(get("/api/v1/webhooks/secret", member).status()).isEqualTo(200);
    }

    @Test
    void anApiTokenIsShownOnceListedRedactedAndRevocable() {
        Response created = post("/api/v1/tokens", "{\"name\":\"ci\",\"role\":\"member\",\"expires_in_seconds\":3600}");
        String secret = created.json().get("token").asString();
        String id = created.json().get("id").asString();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("expires_at").asString()).isNotBlank();
        assertThat(get("/api/v1/auth/me", secret).json().get("role").asString()).isEqualTo("member");
        Response list = get("/api/v1/tokens");
        assertThat(list.body()).contains(id).doesNotContain(secret);
        assertThat(list.json().get("tokens").get(0).has("token")).isFalse();

        assertThat(delete("/api/v1/tokens/" + id, TOKEN).status()).isEqualTo(200);
        assertThat(get("/api/v1/tasks", secret).status()).isEqualTo(401);
    }

    @Test
    void anExpiredApiTokenIsRefused() {
        Response created = post("/api/v1/tokens", "{\"name\":\"short\",\"role\":\"viewer\",\"expires_in_seconds\":60}");
        String secret = created.json().get("token").asString();
        assertThat(get("/api/v1/tasks", secret).status()).isEqualTo(200);

        jdbc.sql("update api_tokens set expires_at = now() - interval '1 second' where id = ?::uuid")
                .param(created.json().get("id").asString())
                .update();

        assertThat(get("/api/v1/tasks", secret).status()).isEqualTo(401);
    }

    @Test
    void logoutWithAnApiTokenRevokesIt() {
        String member = tokenWithRole("member");

        assertThat(post("/api/v1/auth/logout", "", member).status()).isEqualTo(200);
        assertThat(get("/api/v1/tasks", member).status()).isEqualTo(401);
    }

    @Test
    void aTokenCannotGrantMoreThanItsRoleNorSetItsTenantOrOperatorFlag() {
        Response created = post(
                "/api/v1/tokens", "{\"name\":\"x\",\"role\":\"viewer\",\"tenant_id\":\"tenant-b\",\"operator\":true}");
        String secret = created.json().get("token").asString();

        assertThat(get("/api/v1/auth/me", secret).json().get("tenant_id").asString())
                .isEqualTo("tenant-a");
        assertThat(get("/api/v1/admin/tenants", secret).status()).isEqualTo(403);
        assertThat(send(request("/api/v1/tasks")
                                .GET()
                                .header("Authorization", "Bearer " + secret)
                                .header("X-Tenant-ID", "tenant-b"))
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/v1/tokens", "{\"name\":\"y\",\"role\":\"superuser\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void xTenantIdMustMatchUnlessTheTokenIsAnOperators() {
        String id = createTask(TASK);

        Response mismatch = send(request("/api/v1/tasks")
                .GET()
                .header("Authorization", "Bearer " + OTHER_TOKEN)
                .header("X-Tenant-ID", "tenant-a"));
        Response same = send(request("/api/v1/tasks")
                .GET()
                .header("Authorization", "Bearer " + OTHER_TOKEN)
                .header("X-Tenant-ID", "tenant-b"));
        Response operatorActingForB = send(request("/api/v1/tasks/" + id)
                .GET()
                .header("Authorization", "Bearer " + TOKEN)
                .header("X-Tenant-ID", "tenant-b"));
        Response unknownTenant = send(request("/api/v1/tasks")
                .GET()
                .header("Authorization", "Bearer " + TOKEN)
                .header("X-Tenant-ID", "no-such-tenant"));

        assertThat(mismatch.status()).isEqualTo(403);
        assertThat(same.status()).isEqualTo(200);
        assertThat(operatorActingForB.status()).as("tenant-b has no such task").isEqualTo(404);
        assertThat(unknownTenant.status()).isEqualTo(404);
    }

    @Test
    void anOperatorCreatesATenantItsAdminAndItsToken() {
        Response tenant = post("/api/v1/admin/tenants", "{\"id\":\"acme\",\"name\":\"Acme\"}");
        Response again = post("/api/v1/admin/tenants", "{\"id\":\"acme\"}");
        Response token = send(request("/api/v1/tokens")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"acme-ci\",\"role\":\"member\"}"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .header("X-Tenant-ID", "acme"));
        Response user = send(request("/api/v1/users")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"boss@acme.test\",\"password\":\"acme admin password\",\"role\":\"admin\"}"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .header("X-Tenant-ID", "acme"));

        assertThat(tenant.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(409);
        assertThat(get("/api/v1/admin/tenants").body()).contains("acme");
        assertThat(get("/api/v1/admin/tenants", OTHER_TOKEN).status()).isEqualTo(403);
        assertThat(token.status()).isEqualTo(201);
        assertThat(user.status()).isEqualTo(201);
        String acmeToken = token.json().get("token").asString();
        assertThat(get("/api/v1/auth/me", acmeToken).json().get("tenant_id").asString())
                .isEqualTo("acme");
        assertThat(post("/api/v1/tasks", TASK, acmeToken).status()).isEqualTo(201);
    }
}
