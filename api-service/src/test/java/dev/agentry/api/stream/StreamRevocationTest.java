package dev.agentry.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.IdentityIntegrationTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
        properties = {
            "agentry.api.stream.keepalive=200ms",
            "agentry.api.quotas.sse-connections=2",
            "spring.datasource.hikari.maximum-pool-size=4"
        })
class StreamRevocationTest extends IdentityIntegrationTest {

    @Test
    void revokingATokenClosesItsOpenStreams() throws Exception {
        String task = createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}");
        Response created = post("/api/v1/tokens", "{\"name\":\"watcher\",\"role\":\"viewer\"}");
        String secret = created.json().get("token").asString();

        try (SseClient sse =
                new SseClient("http://127.0.0.1:" + port + "/api/v1/tasks/" + task + "/stream", secret, null)) {
            assertThat(sse.status()).isEqualTo(200);
            assertThat(sse.next(Duration.ofSeconds(5)).name()).isEqualTo("connected");

            assertThat(delete("/api/v1/tokens/" + created.json().get("id").asString(), TOKEN)
                            .status())
                    .isEqualTo(200);

            List<SseClient.Event> rest = sse.untilClosed(Duration.ofSeconds(10));
            assertThat(rest).extracting(SseClient.Event::name).containsExactly("unauthorized");
        }
    }

    @Test
    void loggingOutClosesTheStreamsOfThatJwt() throws Exception {
        String task = createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}");
        post(
                "/api/v1/users",
                "{\"email\":\"watcher@example.com\",\"password\":\"watcher password\",\"role\":\"viewer\"}");
        String jwt = send(request("/api/v1/auth/login")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"email\":\"watcher@example.com\",\"password\":\"watcher password\"}"))
                        .header("Content-Type", "application/json"))
                .json()
                .get("access_token")
                .asString();

        try (SseClient sse =
                new SseClient("http://127.0.0.1:" + port + "/api/v1/tasks/" + task + "/stream", jwt, null)) {
            assertThat(sse.next(Duration.ofSeconds(5)).name()).isEqualTo("connected");

            assertThat(post("/api/v1/auth/logout", "", jwt).status()).isEqualTo(200);

            assertThat(sse.untilClosed(Duration.ofSeconds(10)))
                    .extracting(SseClient.Event::name)
                    .containsExactly("unauthorized");
        }
    }

    @Test
    void aTenantMayOpenOnlySoManyStreams() throws Exception {
        String task = post(
                        "/api/v1/tasks", "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}", OTHER_TOKEN)
                .json()
                .get("id")
                .asString();
        String url = "http://127.0.0.1:" + port + "/api/v1/tasks/" + task + "/stream";

        try (SseClient first = new SseClient(url, OTHER_TOKEN, null);
                SseClient second = new SseClient(url, OTHER_TOKEN, null);
                SseClient third = new SseClient(url, OTHER_TOKEN, null)) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            assertThat(third.status()).isEqualTo(429);
        }
    }
}
