package dev.agentry.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.MessageEvent;
import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.Usage;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stream through a real EventSource implementation (LaunchDarkly's, which follows the browser's rules:
 * reconnects on a dropped connection and sends Last-Event-ID), not through our own parser.
 */
class RealEventSourceClientTest extends ApiIntegrationTest {

    @Test
    void aDroppedClientReconnectsWithLastEventIdAndMissesNothing() throws Exception {
        UUID id = UUID.fromString(createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"es\"}"));
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/tasks/" + id + "/stream");
        List<String> seen = new ArrayList<>();
        try (EventSource es = new EventSource.Builder(
                        ConnectStrategy.http(uri).header("Authorization", "Bearer " + TOKEN))
                .retryDelay(50, TimeUnit.MILLISECONDS)
                .build()) {
            es.start();
            assertThat(es.readMessage().getEventName()).isEqualTo("connected");
            for (int i = 0; i < 3; i++) {
                publishEvent(id, new TaskOutput(1, "cli", "output", json.readTree("{\"n\":" + i + "}")));
            }
            for (int i = 0; i < 3; i++) {
                MessageEvent message = es.readMessage();
                seen.add(message.getLastEventId() + ":"
                        + json.readTree(message.getData()).at("/data/n").asInt());
            }

            es.interrupt();
            for (int i = 3; i < 6; i++) {
                publishEvent(id, new TaskOutput(1, "cli", "output", json.readTree("{\"n\":" + i + "}")));
            }
            publishEvent(id, new TaskCompleted(1, "ok", Usage.none(1), ChangesSummary.NONE, null));

            assertThat(es.readMessage().getEventName()).isEqualTo("connected");
            for (int i = 3; i < 6; i++) {
                MessageEvent message = es.readMessage();
                seen.add(message.getLastEventId() + ":"
                        + json.readTree(message.getData()).at("/data/n").asInt());
            }
            MessageEvent result = es.readMessage();
            MessageEvent done = es.readMessage();

            assertThat(seen).containsExactly("1:0", "2:1", "3:2", "4:3", "5:4", "6:5");
            assertThat(result.getLastEventId()).isEqualTo("7");
            assertThat(json.readTree(result.getData()).get("type").asString()).isEqualTo("result");
            assertThat(done.getEventName()).isEqualTo("done");
            assertThat(json.readTree(done.getData()).get("status").asString()).isEqualTo("completed");
        }
    }
}
