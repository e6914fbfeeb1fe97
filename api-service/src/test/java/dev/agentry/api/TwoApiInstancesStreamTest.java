package dev.agentry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * A client streams from one API instance while another instance projects the events: the live feed reaches
 * every instance, not only the one that wrote the rows.
 */
class TwoApiInstancesStreamTest extends ApiIntegrationTest {

    @Autowired
    Environment environment;

    private ConfigurableApplicationContext second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aStreamOnOneInstanceGetsEventsProjectedByAnother() throws Exception {
        second = ApiApplication.builder()
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + environment.getProperty("spring.datasource.url"),
                        "--spring.datasource.username=" + environment.getProperty("spring.datasource.username"),
                        "--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""),
                        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--agentry.secrets.sealing-keys=" + SEALING_KEYS,
                        "--agentry.api.projector-enabled=false");
        int secondPort = ((WebServerApplicationContext) second).getWebServer().getPort();
        UUID id = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"two\"}"));

        try (SseClient sse =
                new SseClient("http://127.0.0.1:" + secondPort + "/api/v1/tasks/" + id + "/stream", TOKEN, null)) {
            assertThat(sse.next(Duration.ofSeconds(20)).name()).isEqualTo("connected");
            publishEvent(id, new TaskRunning(1, "w"));
            publishEvent(
                    id, new TaskCompleted(1, "ok", dev.agentry.events.task.Usage.none(1), ChangesSummary.NONE, null));

            List<SseClient.Event> events = sse.untilClosed(Duration.ofSeconds(20));

            assertThat(events).extracting(SseClient.Event::name).containsExactly("message", "message", "done");
            assertThat(events).extracting(SseClient.Event::id).startsWith("1", "2");
        }
    }
}
