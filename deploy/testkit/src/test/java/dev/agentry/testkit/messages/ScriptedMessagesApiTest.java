package dev.agentry.testkit.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ScriptedMessagesApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ScriptedMessagesApi api = ScriptedMessagesApi.start();

    @AfterEach
    void close() {
        api.close();
        http.close();
    }

    @Test
    void answersNonStreamingTurnWithScriptedToolUse() throws Exception {
        api.replyToolUse("Writing it.", "Write", Map.of("file_path", "/tmp/a.txt", "content", "hello"));

        HttpResponse<String> response = post("/v1/messages", turn(false, "create a.txt"), "key-1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = JSON.readTree(response.body());
        assertThat(message.path("type").asString()).isEqualTo("message");
        assertThat(message.path("role").asString()).isEqualTo("assistant");
        assertThat(message.path("stop_reason").asString()).isEqualTo("tool_use");
        assertThat(message.path("content").get(0).path("text").asString()).isEqualTo("Writing it.");
        JsonNode toolUse = message.path("content").get(1);
        assertThat(toolUse.path("type").asString()).isEqualTo("tool_use");
        assertThat(toolUse.path("id").asString()).startsWith("toolu_");
        assertThat(toolUse.path("name").asString()).isEqualTo("Write");
        assertThat(toolUse.path("input").path("content").asString()).isEqualTo("hello");
        assertThat(message.path("usage").path("input_tokens").asInt()).isPositive();
        assertThat(message.path("usage").path("output_tokens").asInt()).isPositive();
        assertThat(api.remainingReplies()).isZero();
    }

    @Test
    void streamsScriptedTurnAsDocumentedServerSentEvents() throws Exception {
        String longText = "A reply long enough to be split over several text deltas, as a real stream would.";
        api.replyText(longText).replyToolUse("Bash", Map.of("command", "ls -la"));

        HttpResponse<String> first = post("/v1/messages", turn(true, "hi"), "key-1");
        HttpResponse<String> second = post("/v1/messages", turn(true, "next"), "key-1");

        assertThat(first.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        List<JsonNode> textEvents = events(first.body());
        assertThat(textEvents)
                .extracting(event -> event.path("type").asString())
                .startsWith("message_start", "ping", "content_block_start", "content_block_delta")
                .endsWith("content_block_stop", "message_delta", "message_stop");
        assertThat(concatenated(textEvents, "text")).isEqualTo(longText);
        assertThat(textEvents
                        .getFirst()
                        .path("message")
                        .path("usage")
                        .path("input_tokens")
                        .asInt())
                .isPositive();
        JsonNode messageDelta = textEvents.get(textEvents.size() - 2);
        assertThat(messageDelta.path("delta").path("stop_reason").asString()).isEqualTo("end_turn");
        assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isPositive();

        List<JsonNode> toolEvents = events(second.body());
        JsonNode blockStart = toolEvents.stream()
                .filter(event -> event.path("type").asString().equals("content_block_start"))
                .findFirst()
                .orElseThrow();
        assertThat(blockStart.path("content_block").path("type").asString()).isEqualTo("tool_use");
        assertThat(blockStart.path("content_block").path("name").asString()).isEqualTo("Bash");
        assertThat(JSON.readTree(concatenated(toolEvents, "partial_json"))
                        .path("command")
                        .asString())
                .isEqualTo("ls -la");
        assertThat(toolEvents
                        .get(toolEvents.size() - 2)
                        .path("delta")
                        .path("stop_reason")
                        .asString())
                .isEqualTo("tool_use");
    }

    @Test
    void answersSideRequestsWithoutConsumingTheScript() throws Exception {
        api.replyText("The scripted answer.");
        ObjectNode quotaCheck = turn(false, "quota").put("max_tokens", 1);
        ObjectNode titleCall = turn(true, "Generate a title");
        titleCall.remove("tools");

        HttpResponse<String> quota = post("/v1/messages", quotaCheck, "key-1");
        HttpResponse<String> title = post("/v1/messages", titleCall, "key-1");
        HttpResponse<String> count = post("/v1/messages/count_tokens", turn(false, "count me"), "key-1");
        HttpResponse<Void> hello = http.send(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/hello"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(List.of(quota.statusCode(), title.statusCode(), count.statusCode(), hello.statusCode()))
                .containsOnly(200);
        assertThat(JSON.readTree(quota.body())
                        .path("content")
                        .get(0)
                        .path("text")
                        .asString())
                .isEqualTo("OK");
        assertThat(concatenated(events(title.body()), "text")).isEqualTo("OK");
        assertThat(JSON.readTree(count.body()).path("input_tokens").asInt()).isPositive();
        assertThat(api.remainingReplies()).isOne();
        assertThat(api.turns()).isEmpty();
        assertThat(api.requests()).hasSize(4);

        HttpResponse<String> realTurn = post("/v1/messages", turn(false, "hi"), "key-1");
        assertThat(JSON.readTree(realTurn.body())
                        .path("content")
                        .get(0)
                        .path("text")
                        .asString())
                .isEqualTo("The scripted answer.");
    }

    @Test
    void answersScriptedErrorInTheDocumentedShape() throws Exception {
        api.replyError(529, "overloaded_error", "Overloaded");

        HttpResponse<String> response = post("/v1/messages", turn(true, "hi"), "key-1");

        assertThat(response.statusCode()).isEqualTo(529);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("type").asString()).isEqualTo("error");
        assertThat(error.path("error").path("type").asString()).isEqualTo("overloaded_error");
        assertThat(error.path("error").path("message").asString()).isEqualTo("Overloaded");
        assertThat(response.headers().firstValue("request-id")).isPresent();
    }

    @Test
    void repeatsTheSameReplyWhenClaudeCodeRetriesATurn() throws Exception {
        api.replyError(400, "invalid_request_error", "scripted failure").replyText("next turn");

        HttpResponse<String> first = post("/v1/messages", turn(true, "hi"), "key-1", "session-1");
        ObjectNode retriedTurn = turn(true, "hi");
        ((tools.jackson.databind.node.ArrayNode) retriedTurn.path("messages"))
                .addObject()
                .put("role", "system")
                .put("content", "A note Claude Code adds when it retries.");
        HttpResponse<String> retry = post("/v1/messages", retriedTurn, "key-1", "session-1");
        HttpResponse<String> otherSession = post("/v1/messages", turn(false, "hi"), "key-1", "session-2");

        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(retry.statusCode()).isEqualTo(400);
        assertThat(otherSession.statusCode()).isEqualTo(200);
        assertThat(api.turns()).hasSize(3);
        assertThat(api.remainingReplies()).isZero();
    }

    @Test
    void failsTurnsThatFindTheScriptEmptyWithAnExplainingError() throws Exception {
        HttpResponse<String> response = post("/v1/messages", turn(false, "hi"), "key-1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("message").asString())
                .contains("no reply left");
    }

    @Test
    void recordsRequestsWithTheApiKeyOnlyAsADigest() throws Exception {
        api.replyText("ok");

        post("/v1/messages", turn(false, "remember banana"), "secret-key-123");

        RecordedRequest request = api.turns().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/messages");
        assertThat(request.query()).isEqualTo("beta=true");
        assertThat(request.header("x-api-key")).hasValue("<redacted>");
        assertThat(request.header("anthropic-version")).hasValue("2023-06-01");
        assertThat(request.carriesApiKey("secret-key-123")).isTrue();
        assertThat(request.carriesApiKey("another-key")).isFalse();
        assertThat(request.toString()).doesNotContain("secret-key-123");
        assertThat(request.conversationText()).contains("user: remember banana");
        assertThat(request.toolNames()).containsExactly("Write");
    }

    @Test
    void holdsAHangingTurnOpenUntilClosed() {
        api.hang();

        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(
                request("/v1/messages", turn(true, "hi"), "key-1", null), HttpResponse.BodyHandlers.ofString());
        api.awaitTurns(1, Duration.ofSeconds(10));

        assertThat(pending).isNotDone();
        api.close();
        assertThat(pending).failsWithin(10, TimeUnit.SECONDS);
    }

    @Test
    void reportsWhatArrivedWhenAwaitedTurnsDoNot() {
        assertThatThrownBy(() -> api.awaitTurns(1, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected 1 conversation turns");
    }

    private HttpResponse<String> post(String path, JsonNode body, String apiKey) throws Exception {
        return post(path, body, apiKey, null);
    }

    private HttpResponse<String> post(String path, JsonNode body, String apiKey, String session) throws Exception {
        return http.send(request(path, body, apiKey, session), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, JsonNode body, String apiKey, String session) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api.baseUrl() + path + "?beta=true"))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .header("x-api-key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (session != null) {
            builder.header("X-Claude-Code-Session-Id", session);
        }
        return builder.build();
    }

    private static ObjectNode turn(boolean stream, String prompt) {
        ObjectNode body = JSON.createObjectNode()
                .put("model", "claude-test")
                .put("max_tokens", 1024)
                .put("stream", stream);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        body.putArray("tools").addObject().put("name", "Write");
        return body;
    }

    private static List<JsonNode> events(String sse) {
        List<JsonNode> events = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            String event = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    JsonNode data = JSON.readTree(line.substring(6));
                    assertThat(data.path("type").asString()).isEqualTo(event);
                    events.add(data);
                }
            }
        }
        return events;
    }

    private static String concatenated(List<JsonNode> events, String deltaField) {
        StringBuilder text = new StringBuilder();
        events.stream()
                .filter(event -> event.path("type").asString().equals("content_block_delta"))
                .map(event -> event.path("delta").path(deltaField))
                .filter(JsonNode::isString)
                .forEach(value -> text.append(value.asString()));
        return text.toString();
    }
}
