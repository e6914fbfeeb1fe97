package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.testkit.TestDatabase;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka goes away while clients keep submitting: every task is still accepted (the outbox holds its command),
 * and once the same broker is back, every task runs to the end exactly once.
 */
class KafkaOutageTest {

    @TempDir
    Path dataDir;

    @Test
    void tasksSubmittedWhileKafkaIsDownAllFinishOnceItIsBack() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path kafkaLogs = dataDir.resolve("kafka");
        TestDatabase.Database database = TestDatabase.create();
        EmbeddedKafka broker = EmbeddedKafka.start(kafkaLogs, port);
        List<String> ids = new ArrayList<>();
        try (LocalPlatform platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(broker.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "outage-" + UUID.randomUUID())
                .withProperty("agentry.api.projector-group", "outage-" + UUID.randomUUID()))) {
            PlatformClient client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
            String before = client.submit(echo("before the outage"));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> client.status(before).equals("completed"));

            broker.close();
            for (int i = 0; i < 100; i++) {
                ids.add(client.submit(echo("during the outage " + i)));
            }
            assertThat(ids).allMatch(id -> client.status(id).equals("pending"));
            var ready = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(platform.apiUrl() + "/ready"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(PlatformClient.JSON
                            .readTree(ready.body())
                            .at("/checks/kafka")
                            .asString())
                    .startsWith("down");
            assertThat(PlatformClient.JSON
                            .readTree(ready.body())
                            .at("/checks/postgres")
                            .asString())
                    .isEqualTo("up");

            broker = EmbeddedKafka.start(kafkaLogs, port);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> ids.stream().allMatch(id -> client.status(id).equals("completed")));

            var jdbc = platform.api().getBean(org.springframework.jdbc.core.simple.JdbcClient.class);
            for (String id : ids) {
                List<String> log = jdbc.sql("""
                                select type || ' ' || event || case when data->>'attempt' is not null then ' started' else '' end
                                from task_events where task_id = ?::uuid order by seq""").param(id).query(String.class).list();
                assertThat(log)
                        .as("event log of %s", id)
                        .filteredOn(e -> e.equals("result completed"))
                        .hasSize(1);
                assertThat(log)
                        .as("starts of %s", id)
                        .filteredOn(e -> e.endsWith(" started"))
                        .hasSize(1);
            }
            assertThat(jdbc.sql("select count(*) from outbox")
                            .query(Integer.class)
                            .single())
                    .isZero();
        } finally {
            broker.close();
        }
    }

    private static String echo(String prompt) {
        return "{\"repo_url\":\"https://example.invalid/outage.git\",\"prompt\":\"" + prompt
                + "\",\"config\":{\"cli\":\"echo\"}}";
    }
}
