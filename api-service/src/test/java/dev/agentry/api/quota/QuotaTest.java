package dev.agentry.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.IdentityIntegrationTest;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaTest extends IdentityIntegrationTest {

    private static final String TASK = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}";

    /** A fresh tenant with its own quotas and a member token of it, made by the operator. */
    private String tenantWithQuotas(String tenant, String quotas) {
        assertThat(post("/api/v1/admin/tenants", "{\"id\":\"" + tenant + "\"}").status())
                .isEqualTo(201);
        Response set = put("/api/v1/admin/tenants/" + tenant + "/quotas", quotas, TOKEN);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        Response token = send(request("/api/v1/tokens")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t\",\"role\":\"member\"}"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .header("X-Tenant-ID", tenant));
        return token.json().get("token").asString();
    }

    @Test
    void refusesTheTaskOverTheDailyLimitWith429AndRetryAfter() {
        String token = tenantWithQuotas("daily", "{\"tasks_per_day\":2}");

        assertThat(post("/api/v1/tasks", TASK, token).status()).isEqualTo(201);
        assertThat(post("/api/v1/tasks", TASK, token).status()).isEqualTo(201);
        Response third = post("/api/v1/tasks", TASK, token);

        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().get("error").asString()).isEqualTo("quota exceeded");
        assertThat(third.json().get("message").asString()).contains("2 tasks");
        assertThat(Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 86400L);
        assertThat(jdbc.sql("select count(*) from tasks where tenant_id = 'daily'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        assertThat(post("/api/v1/tasks", TASK, OTHER_TOKEN).status())
                .as("other tenants are not affected")
                .isEqualTo(201);
        Response quotas = get("/api/v1/quotas", token);
        assertThat(quotas.json().get("limits").get("tasks_per_day").asInt()).isEqualTo(2);
        assertThat(quotas.json().get("usage").get("tasks_today").asInt()).isEqualTo(2);
    }

    @Test
    void refusesSubmitsOnceTheDailySpendIsReached() {
        String token = tenantWithQuotas("spender", "{\"spend_per_day_usd\":1.5}");
        String id = post("/api/v1/tasks", TASK, token).json().get("id").asString();

        jdbc.sql("update task_iterations set usage = '{\"cost_usd\": 2.25}'::jsonb, finished_at = now() "
                        + "where task_id = ?::uuid")
                .param(id)
                .update();
        Response refused = post("/api/v1/tasks", TASK, token);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("message").asString()).contains("spend");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(get("/api/v1/quotas", token)
                        .json()
                        .get("usage")
                        .get("spent_today_usd")
                        .asDouble())
                .isEqualTo(2.25);
    }

    @Test
    void limitsRequestsPerTokenWith429AndRetryAfter() {
        String token = tenantWithQuotas("chatty", "{\"requests_per_second\":3}");

        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            responses.add(get("/api/v1/tasks", token));
        }

        Response limited =
                responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
        assertThat(limited.json().get("error").asString()).isEqualTo("rate limited");
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(responses.stream().filter(r -> r.status() == 200).count()).isBetween(3L, 9L);
        assertThat(get("/api/v1/tasks", OTHER_TOKEN).status())
                .as("another token has its own budget")
                .isEqualTo(200);
    }

    @Test
    void onlyOperatorsSetQuotas() {
        assertThat(put("/api/v1/admin/tenants/tenant-b/quotas", "{\"tasks_per_day\":1}", OTHER_TOKEN)
                        .status())
                .isEqualTo(403);
        assertThat(put("/api/v1/admin/tenants/nobody/quotas", "{\"tasks_per_day\":1}", TOKEN)
                        .status())
                .isEqualTo(404);
        assertThat(put("/api/v1/admin/tenants/tenant-b/quotas", "{\"tasks_per_day\":-1}", TOKEN)
                        .status())
                .isEqualTo(400);
    }
}
