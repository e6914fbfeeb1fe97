package dev.agentry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.testkit.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts the scheduler the way the local platform does, in-process through {@link SchedulerApplication#builder()}
 * with per-instance settings as arguments, against a Kafka address where nothing listens.
 */
class ReadinessWhenKafkaIsDownTest {

    @Test
    void answersReadyWith503NamingKafkaWhileKafkaDoesNotAnswer() throws Exception {
        TestDatabase.Database database = TestDatabase.create();
        int deadKafka;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadKafka = socket.getLocalPort();
        }

        try (ConfigurableApplicationContext scheduler = SchedulerApplication.builder()
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + database.url(),
                        "--spring.datasource.username=" + database.username(),
                        "--spring.datasource.password=" + database.password(),
                        "--spring.kafka.bootstrap-servers=127.0.0.1:" + deadKafka,
                        "--jobrunr.dashboard.enabled=false",
                        "--jobrunr.background-job-server.enabled=false",
                        "--agentry.scheduler.reaper.enabled=false",
                        "--agentry.scheduler.schedules.enabled=false",
                        "--agentry.scheduler.health.kafka-timeout=500ms")) {
            String port = scheduler.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> ready = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/ready"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode body = JsonMapper.shared().readTree(ready.body());
            assertThat(body.at("/components/kafka/status").asString()).isEqualTo("DOWN");
            assertThat(body.at("/components/kafka/details/error").asString()).startsWith("Kafka did not answer");
            assertThat(body.at("/components/db/status").asString()).isEqualTo("UP");
        }
    }
}
