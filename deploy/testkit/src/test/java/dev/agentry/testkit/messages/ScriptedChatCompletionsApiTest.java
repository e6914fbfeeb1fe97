package dev.agentry.testkit.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The scripted chat-completions server speaks OpenAI's documented shapes and records what it got. */
class ScriptedChatCompletionsApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final ScriptedChatCompletionsApi api = ScriptedChatCompletionsApi.start();

    @AfterEach
    void close() {
        api.close();
        http.close();
    }

    @Test
    void answersACompletionWithToolCalls() throws Exception {
        api.replyToolCall("On it.", "notify", Map.of("title", "t", "body", "b"));

        HttpResponse<String> response = post(call(false), "sk-1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode completion = JSON.readTree(response.body());
        assertThat(completion.path("object").asString()).isEqualTo("chat.completion");
        JsonNode choice = completion.path("choices").get(0);
        assertThat(choice.path("finish_reason").asString()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").asString()).isEqualTo("On it.");
        JsonNode toolCall = choice.path("message").path("tool_calls").get(0);
        assertThat(toolCall.path("type").asString()).isEqualTo("function");
        assertThat(toolCall.path("id").asString()).startsWith("call_");
        assertThat(JSON.readTree(toolCall.path("function").path("arguments").asString())
                        .path("body")
                        .asString())
                .isEqualTo("b");
        assertThat(completion.path("usage").path("total_tokens").asInt()).isEqualTo(35);
    }

    @Test
    void streamsChunksWithToolCallDeltasAndDone() throws Exception {
        api.replyToolCall("A text long enough to arrive in more than one chunk.", "stop_schedule", Map.of());

        String body = post(call(true), "sk-1").body();

        List<String> frames = List.of(body.split("\n\n"));
        assertThat(frames.getLast()).isEqualTo("data: [DONE]");
        List<JsonNode> chunks = frames.subList(0, frames.size() - 1).stream()
                .map(frame -> JSON.readTree(frame.substring("data: ".length())))
                .toList();
        assertThat(chunks).allMatch(c -> c.path("object").asString().equals("chat.completion.chunk"));
        StringBuilder text = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        chunks.forEach(c -> c.path("choices").values().forEach(choice -> {
            text.append(choice.path("delta").path("content").asString(""));
            choice.path("delta")
                    .path("tool_calls")
                    .values()
                    .forEach(call -> arguments.append(
                            call.path("function").path("arguments").asString("")));
        }));
        assertThat(text).hasToString("A text long enough to arrive in more than one chunk.");
        assertThat(arguments).hasToString("{}");
        assertThat(chunks.get(chunks.size() - 2)
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asString())
                .isEqualTo("tool_calls");
        assertThat(chunks.getLast().path("choices").isEmpty()).isTrue();
        assertThat(chunks.getLast().path("usage").path("prompt_tokens").asInt()).isEqualTo(25);
    }

    @Test
    void answersErrorsInTheDocumentedShapeAndRecordsRequests() throws Exception {
        api.replyError(429, "rate_limit_exceeded", "Slow down");
        ObjectNode body = call(false);
        body.putArray("messages")
                .add(JSON.createObjectNode().put("role", "user").put("content", "hi"))
                .add(JSON.createObjectNode()
                        .put("role", "tool")
                        .put("tool_call_id", "call_1")
                        .put("content", "ok"));

        HttpResponse<String> response = post(body, "sk-secret");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(response.body()).path("error").path("message").asString())
                .isEqualTo("Slow down");
        RecordedRequest recorded = api.requests().getLast();
        assertThat(recorded.carriesApiKey("sk-secret")).isTrue();
        assertThat(recorded.header("authorization")).contains(RecordedRequest.REDACTED);
        assertThat(recorded.toolResults()).containsExactly(new RecordedRequest.ToolResultSeen("call_1", "ok", false));
        assertThat(post(call(false), "sk-1").statusCode()).as("an empty script").isEqualTo(400);
    }

    private HttpResponse<String> post(JsonNode body, String apiKey) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(api.baseUrl() + "/chat/completions"))
                        .header("content-type", "application/json")
                        .header("authorization", "Bearer " + apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ObjectNode call(boolean stream) {
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-test").put("stream", stream);
        body.putArray("messages").addObject().put("role", "user").put("content", "hello");
        return body;
    }
}
