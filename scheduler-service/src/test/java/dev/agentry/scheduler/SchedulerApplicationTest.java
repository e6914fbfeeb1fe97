package dev.agentry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

class SchedulerApplicationTest extends SchedulerIntegrationTest {

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Autowired
    JdbcClient jdbc;

    @LocalServerPort
    int port;

    @Test
    void keepsJobRunrTablesInTheirOwnSchema() {
        Integer tables = jdbc.sql("""
                        select count(*) from information_schema.tables
                         where table_schema = 'jobrunr' and table_name = 'jobrunr_recurring_jobs'
                        """).query(Integer.class).single();
        Integer inPublic = jdbc.sql("""
                        select count(*) from information_schema.tables
                         where table_schema = 'public' and table_name like 'jobrunr%'
                        """).query(Integer.class).single();

        assertThat(tables).isOne();
        assertThat(inPublic).isZero();
    }

    @Test
    void servesTheJobRunrDashboardOnItsOwnPortToItsCredentialsOnly() throws Exception {
        String dashboard = "http://localhost:" + DASHBOARD_PORT + "/dashboard/recurring-jobs";
        HttpResponse<String> anonymous = get(dashboard);
        String basic = java.util.Base64.getEncoder()
                .encodeToString((DASHBOARD_USER + ":" + DASHBOARD_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(URI.create(dashboard))
                        .header("Authorization", "Basic " + basic)
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.body()).containsIgnoringCase("jobrunr");
    }

    @Test
    void refusesToStartWithAnOpenDashboardUnlessAllowed() {
        String[] open = {
            "--server.port=0",
            "--jobrunr.dashboard.port=0",
            "--jobrunr.background-job-server.enabled=false",
            "--spring.datasource.url=" + DATABASE.url(),
            "--spring.datasource.username=" + DATABASE.username(),
            "--spring.datasource.password=" + DATABASE.password(),
            "--spring.kafka.bootstrap-servers=" + dev.agentry.testkit.TestKafka.bootstrapServers()
        };

        assertThatThrownBy(() -> SchedulerApplication.builder().run(open).close())
                .rootCause()
                .hasMessageContaining("JobRunr dashboard is on without credentials")
                .hasMessageContaining("JOBRUNR_DASHBOARD_PASSWORD");
    }

    @Test
    void reportsReadyWhenPostgresAndKafkaAnswer() throws Exception {
        HttpResponse<String> ready = get("http://localhost:" + port + "/ready");
        HttpResponse<String> healthReady = get("http://localhost:" + port + "/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"db\"", "\"kafka\"").doesNotContain("DOWN");
        assertThat(healthReady.statusCode()).isEqualTo(200);
    }

    @Test
    void reportsLiveOnHealth() throws Exception {
        HttpResponse<String> health = get("http://localhost:" + port + "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void servesPrometheusMetricsOnMetrics() throws Exception {
        HttpResponse<String> metrics = get("http://localhost:" + port + "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
