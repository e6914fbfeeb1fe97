package dev.agentry.testkit.messages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A request as the server received it. Header names are lower case; credentials ({@code x-api-key},
 * {@code authorization}) are kept only as a SHA-256 digest, checkable with {@link #carriesApiKey(String)}.
 *
 * @param path the path without the query string ({@code /v1/messages}, {@code /v1/messages/count_tokens})
 * @param body the parsed JSON body, or null when there was none or it was not JSON
 */
public record RecordedRequest(
        String method,
        String path,
        @Nullable String query,
        Map<String, List<String>> headers,
        @Nullable JsonNode body,
        @Nullable String apiKeyDigest) {

    static final String REDACTED = "<redacted>";

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /** True when {@code x-api-key} (or a bearer {@code authorization}) carried exactly this key. */
    public boolean carriesApiKey(String expected) {
        return apiKeyDigest != null && apiKeyDigest.equals(digest(expected));
    }

    public boolean isChatCompletionsCall() {
        return "POST".equals(method) && path.endsWith("/chat/completions");
    }

    public boolean isMessagesCall() {
        return "POST".equals(method) && "/v1/messages".equals(path);
    }

    public boolean isStreaming() {
        return json().path("stream").asBoolean(false);
    }

    public String model() {
        return json().path("model").asString("");
    }

    public int maxTokens() {
        return json().path("max_tokens").asInt(0);
    }

    /** The {@code messages} array of a Messages API call (empty node when absent). */
    public JsonNode messages() {
        return json().path("messages");
    }

    public List<String> toolNames() {
        return json().path("tools").values().stream()
                .map(tool -> tool.path("name").asString(""))
                .toList();
    }

    /** The tool definitions offered ({@code tools} of either protocol), each as sent. */
    public List<JsonNode> tools() {
        return json().path("tools").values().stream().toList();
    }

    /**
     * The tool results sent back so far, in order: Messages API {@code tool_result} blocks of user messages, or
     * chat-completions messages with role {@code tool} (which carry no error flag; {@code error} is then false).
     */
    public List<ToolResultSeen> toolResults() {
        List<ToolResultSeen> results = new java.util.ArrayList<>();
        for (JsonNode message : messages().values()) {
            if (message.path("role").asString("").equals("tool")) {
                results.add(new ToolResultSeen(
                        message.path("tool_call_id").asString(""), textOf(message.path("content")), false));
            }
            for (JsonNode block : message.path("content").values()) {
                if (block.path("type").asString("").equals("tool_result")) {
                    results.add(new ToolResultSeen(
                            block.path("tool_use_id").asString(""),
                            textOf(block.path("content")),
                            block.path("is_error").asBoolean(false)));
                }
            }
        }
        return results;
    }

    /** A tool result as a client sent it back to the model. */
    public record ToolResultSeen(String toolCallId, String content, boolean error) {}

    private static String textOf(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        content.values().forEach(part -> text.append(part.path("text").asString("")));
        return text.toString();
    }

    /** All text of the conversation so far, user and assistant, in order: handy for {@code contains} assertions. */
    public String conversationText() {
        StringBuilder text = new StringBuilder();
        for (JsonNode message : messages().values()) {
            JsonNode content = message.path("content");
            if (content.isString()) {
                text.append(message.path("role").asString(""))
                        .append(": ")
                        .append(content.asString())
                        .append('\n');
            }
            for (JsonNode block : content.values()) {
                if (block.path("type").asString("").equals("text")) {
                    text.append(message.path("role").asString(""))
                            .append(": ")
                            .append(block.path("text").asString(""))
                            .append('\n');
                }
            }
        }
        return text.toString();
    }

    private JsonNode json() {
        return body == null ? MissingNode.getInstance() : body;
    }

    static String digest(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256.", e);
        }
    }
}
