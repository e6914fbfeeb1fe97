package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentry.local.LocalSettings.Service;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole platform through its programmatic entry, the way cross-service tests start it. */
class LocalPlatformTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ECHO_TASK = """
            {"repo_url":"https://example.invalid/bench.git","prompt":"hello from the local platform","config":{"cli":"echo"}}""";

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.shared();

    @TempDir
    Path dataDir;

    @Test
    void runsAnEchoTaskAndStillKnowsItAfterARestart() throws Exception {
        String taskId;
        String token;
        try (LocalPlatform platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir))) {
            token = platform.bootstrapToken();
            taskId = submit(platform.apiUrl(), token);
            await().atMost(WAIT).until(() -> "completed".equals(status(platform.apiUrl(), token, taskId)));

            assertThatThrownBy(() -> LocalPlatform.start(LocalSettings.randomPorts(dataDir)))
                    .hasMessageContaining("already using");
        }

        try (LocalPlatform platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir))) {
            assertThat(platform.bootstrapToken()).isEqualTo(token);
            assertThat(status(platform.apiUrl(), token, taskId)).isEqualTo("completed");
        }
    }

    @Test
    void usesTheKafkaAndDatabaseItIsGiven() throws Exception {
        TestDatabase.Database database = TestDatabase.create();
        LocalSettings settings = LocalSettings.randomPorts(dataDir)
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withBootstrapToken("external-infrastructure-token");

        try (LocalPlatform platform = LocalPlatform.start(settings)) {
            assertThat(platform.kafkaBootstrapServers()).isEqualTo(TestKafka.bootstrapServers());
            assertThat(platform.jdbcUrl()).isEqualTo(database.url());
            assertThat(dataDir.resolve("kafka")).doesNotExist();
            assertThat(dataDir.resolve("postgres")).doesNotExist();

            String taskId = submit(platform.apiUrl(), "external-infrastructure-token");
            await().atMost(WAIT)
                    .until(() ->
                            "completed".equals(status(platform.apiUrl(), "external-infrastructure-token", taskId)));
            assertThat(get(platform.workerUrl() + "/ready", null).statusCode()).isEqualTo(200);
            assertThat(get(platform.schedulerUrl() + "/ready", null).statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void refusesToStartWhenThePostgresPortIsTakenAndSaysWhatToDo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            LocalSettings settings =
                    new LocalSettings(dataDir, 0, 0, 0, 0, 0, port, null, null, null, Map.of(), Service.ALL);

            assertThatThrownBy(() -> LocalPlatform.start(settings))
                    .hasMessageContaining("Port " + port + " is already taken")
                    .hasMessageContaining("the embedded PostgreSQL")
                    .hasMessageContaining("Stop the process that holds port " + port)
                    .hasMessageContaining("set AGENTRY_POSTGRES_PORT to another port");
        }
        assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).doesNotExist();
        assertThat(dataDir.resolve("kafka")).doesNotExist();
    }

    private String submit(String apiUrl, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/tasks"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ECHO_TASK))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body()).path("id").asString();
    }

    private String status(String apiUrl, String token, String taskId) throws IOException, InterruptedException {
        HttpResponse<String> response = get(apiUrl + "/api/v1/tasks/" + taskId, token);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode task = json.readTree(response.body());
        return task.path("status").asString();
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
