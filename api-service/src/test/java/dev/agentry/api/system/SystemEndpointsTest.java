package dev.agentry.api.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;

class SystemEndpointsTest extends ApiIntegrationTest {

    @Test
    void healthReadinessMetricsAndDocsNeedNoToken() {
        Response health = send(request("/health").GET());
        Response ready = send(request("/ready").GET());
        Response metrics = send(request("/metrics").GET());
        Response spec = send(request("/api/docs/openapi.yaml").GET());
        Response docs = send(request("/api/docs").GET());

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("ok");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        assertThat(ready.json().at("/checks/postgres").asString()).isEqualTo("up");
        assertThat(ready.json().at("/checks/kafka").asString()).isEqualTo("up");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("agentry_outbox_published").contains("jvm_memory_used_bytes");
        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.body()).contains("/api/v1/tasks").contains("openapi: 3");
        assertThat(docs.status()).isBetween(200, 399);
    }
}
