package dev.agentry.api.conversation;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.Notify;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.TurnToolCalled;
import dev.agentry.testkit.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import tools.jackson.databind.JsonNode;

class ConversationStreamTest extends TurnTestSupport {

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    MeterRegistry meters;

    private double liveSkipped() {
        return meters.get("agentry.live_feed.skipped")
                .tag("feed", "conversation")
                .counter()
                .count();
    }

    /** The stream's events in order, name to data; a name that repeats gets a numbered key. */
    private static Map<String, JsonNode> events(List<String> lines) {
        Map<String, JsonNode> events = new LinkedHashMap<>();
        String name = null;
        for (String line : lines) {
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:") && name != null) {
                String key = events.containsKey(name) ? name + events.size() : name;
                events.put(key, json.readTree(line.substring(5)));
            }
        }
        return events;
    }

    @Test
    void streamsTheUserMessageDeltasToolCallsAndTheSavedReplyPastRecordsItCannotRead() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !listeners
                        .getListenerContainer("conversation-live-feed")
                        .getAssignedPartitions()
                        .isEmpty());
        String id = createConversation(TOKEN);
        HttpRequest request = request("/api/conversations/" + id + "/messages/stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"Remind me\"}"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + TOKEN)
                .build();
        CompletableFuture<List<String>> lines = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenApply(response -> {
                    assertThat(response.statusCode()).isEqualTo(200);
                    return response.body().collect(ArrayList::new, List::add, List::addAll);
                });

        Envelope<RunTurn> command = worker.nextCommand(id);
        var turn = command.payload().turnId();
        worker.publish(command, new TurnStarted(turn, "worker-1"));
        double skippedBefore = liveSkipped();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            // bytes that are no event, and a tombstone: the live feed skips both and streams the next delta
            producer.send(new ProducerRecord<>(Topics.CONVERSATION_EVENTS, id, "not json".getBytes(UTF_8)))
                    .get();
            producer.send(new ProducerRecord<String, byte[]>(Topics.CONVERSATION_EVENTS, id, null))
                    .get();
        }
        worker.publish(command, new TurnDelta(turn, "Sure, "));
        worker.publish(command, new TurnToolCalled(turn, "notify", Map.of("title", "Hi", "body", "Hello"), null));
        worker.publish(command, new TurnDelta(turn, "done."));
        worker.publish(command, completed(command, "Sure, done.", new Notify("Hi", "Hello")));

        Map<String, JsonNode> events = events(lines.join());
        assertThat(events.keySet()).startsWith("message").contains("tool_call").endsWith("done");
        assertThat(events.get("message").get("content").asString()).isEqualTo("Remind me");
        assertThat(events.get("delta").get("text").asString()).isEqualTo("Sure, ");
        assertThat(events.get("tool_call").get("tool").asString()).isEqualTo("notify");
        JsonNode done = events.get("done");
        assertThat(done.get("message").get("content").asString()).isEqualTo("Sure, done.");
        assertThat(done.get("message").get("role").asString()).isEqualTo("assistant");
        assertThat(done.has("newStatus")).isTrue();
        assertThat(done.get("newStatus").isNull()).isTrue();
        assertThat(liveSkipped()).isGreaterThanOrEqualTo(skippedBefore + 2);
    }

    @Test
    void aStreamToAnArchivedConversationIsRefusedBeforeAnyEvent() {
        String id = createConversation(TOKEN);
        expect(patch("/api/conversations/" + id, "{\"status\":\"archived\"}", TOKEN), 200);

        Response refused = post("/api/conversations/" + id + "/messages/stream", "{\"content\":\"hi\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asString()).isEqualTo("Cannot send messages to archived conversation");
    }
}
