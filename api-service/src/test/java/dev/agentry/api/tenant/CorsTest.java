package dev.agentry.api.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.IdentityIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
        properties = {
            "agentry.api.cors.allowed-origins=https://app.example.com",
            "spring.datasource.hikari.maximum-pool-size=4"
        })
class CorsTest extends IdentityIntegrationTest {

    @Test
    void answersPreflightsOfAllowedOriginsOnly() {
        Response allowed = send(request("/api/v1/tasks")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type"));
        Response other = send(request("/api/v1/tasks")
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST"));

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Credentials"))
                .isEmpty();
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
