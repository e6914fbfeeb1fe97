package dev.agentry.api.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;

class TenancyTest extends ApiIntegrationTest {

    private static final String BODY = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"mine\"}";

    @Test
    void requiresAValidBearerToken() {
        int before = count("tasks");
        Response none = send(request("/api/v1/tasks").GET());
        Response wrong = get("/api/v1/tasks", "not-a-token");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asString()).isEqualTo("unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(post("/api/v1/tasks", BODY, "not-a-token").status()).isEqualTo(401);
        assertThat(count("tasks")).isEqualTo(before);
    }

    @Test
    void anotherTenantsTaskIsNotFound() {
        String id = createTask(BODY);

        assertThat(get("/api/v1/tasks/" + id, OTHER_TOKEN).status()).isEqualTo(404);
        assertThat(get("/api/v1/tasks", OTHER_TOKEN).body()).doesNotContain(id);
        assertThat(get("/api/v1/tasks/" + id).status()).isEqualTo(200);
    }

    @Test
    void ignoresAttemptsToSetTenantOrStatus() {
        String id = createTask(
                "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\",\"tenant_id\":\"tenant-b\",\"status\":\"completed\"}");

        Response task = get("/api/v1/tasks/" + id);
        assertThat(task.json().get("status").asString()).isEqualTo("pending");
        assertThat(jdbc.sql("select tenant_id from tasks where id = ?::uuid")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("tenant-a");
    }
}
