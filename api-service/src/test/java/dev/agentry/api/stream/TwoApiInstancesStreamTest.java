package dev.agentry.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskRunning;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A client streams from one API instance while another instance projects the events: the live feed reaches
 * every instance, not only the one that wrote the rows.
 */
class TwoApiInstancesStreamTest extends ApiIntegrationTest {

    private ConfigurableApplicationContext second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aStreamOnOneInstanceGetsEventsProjectedByAnother() throws Exception {
        second = startAnotherInstance("--agentry.api.projector-enabled=false");
        int secondPort = portOf(second);
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
