package dev.agentry.testkit.messages;

import dev.agentry.testkit.messages.ScriptedReply.ApiError;
import dev.agentry.testkit.messages.ScriptedReply.ContentBlock;
import dev.agentry.testkit.messages.ScriptedReply.Message;
import dev.agentry.testkit.messages.ScriptedReply.Text;
import dev.agentry.testkit.messages.ScriptedReply.ToolUse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The Messages API wire format: a message as one JSON document, or as the server-sent events of a stream. */
final class MessagesWire {

    private static final int TEXT_CHUNK = 24;

    private final JsonMapper mapper;

    MessagesWire(JsonMapper mapper) {
        this.mapper = mapper;
    }

    byte[] messageJson(Message message, String id, String model, List<String> toolUseIds) {
        ObjectNode json = envelope(
                id, model, message.usage().inputTokens(), message.usage().outputTokens());
        ArrayNode content = json.putArray("content");
        for (int i = 0; i < message.content().size(); i++) {
            switch (message.content().get(i)) {
                case Text text -> content.addObject().put("type", "text").put("text", text.text());
                case ToolUse toolUse -> {
                    ObjectNode block = content.addObject()
                            .put("type", "tool_use")
                            .put("id", toolUseIds.get(i))
                            .put("name", toolUse.name());
                    block.set("input", mapper.valueToTree(toolUse.input()));
                }
            }
        }
        json.put("stop_reason", message.stopReason());
        return bytes(json);
    }

    /** The events of a stream, each already framed as {@code event: <type>\ndata: <json>\n\n}. */
    List<byte[]> messageEvents(Message message, String id, String model, List<String> toolUseIds) {
        List<byte[]> events = new ArrayList<>();
        ObjectNode start = mapper.createObjectNode().put("type", "message_start");
        ObjectNode startMessage = envelope(id, model, message.usage().inputTokens(), 1);
        startMessage.putArray("content");
        startMessage.putNull("stop_reason");
        start.set("message", startMessage);
        events.add(event("message_start", start));
        events.add(event("ping", mapper.createObjectNode().put("type", "ping")));
        for (int index = 0; index < message.content().size(); index++) {
            ContentBlock block = message.content().get(index);
            ObjectNode blockStart =
                    mapper.createObjectNode().put("type", "content_block_start").put("index", index);
            switch (block) {
                case Text text -> {
                    blockStart.putObject("content_block").put("type", "text").put("text", "");
                    events.add(event("content_block_start", blockStart));
                    for (String chunk : chunks(text.text())) {
                        events.add(delta(index, "text_delta", "text", chunk));
                    }
                }
                case ToolUse toolUse -> {
                    ObjectNode contentBlock = blockStart
                            .putObject("content_block")
                            .put("type", "tool_use")
                            .put("id", toolUseIds.get(index))
                            .put("name", toolUse.name());
                    contentBlock.putObject("input");
                    events.add(event("content_block_start", blockStart));
                    for (String chunk : chunks(mapper.writeValueAsString(toolUse.input()))) {
                        events.add(delta(index, "input_json_delta", "partial_json", chunk));
                    }
                }
            }
            events.add(event(
                    "content_block_stop",
                    mapper.createObjectNode().put("type", "content_block_stop").put("index", index)));
        }
        ObjectNode messageDelta = mapper.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", message.stopReason()).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", message.usage().outputTokens());
        events.add(event("message_delta", messageDelta));
        events.add(event("message_stop", mapper.createObjectNode().put("type", "message_stop")));
        return events;
    }

    byte[] errorJson(ApiError error, String requestId) {
        ObjectNode json = mapper.createObjectNode().put("type", "error");
        json.putObject("error").put("type", error.type()).put("message", error.message());
        json.put("request_id", requestId);
        return bytes(json);
    }

    byte[] countTokensJson(int inputTokens) {
        return bytes(mapper.createObjectNode().put("input_tokens", inputTokens));
    }

    private ObjectNode envelope(String id, String model, int inputTokens, int outputTokens) {
        ObjectNode json = mapper.createObjectNode()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        json.putNull("stop_sequence");
        json.putObject("usage")
                .put("input_tokens", inputTokens)
                .put("output_tokens", outputTokens)
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0);
        return json;
    }

    private byte[] delta(int index, String deltaType, String field, String value) {
        ObjectNode json =
                mapper.createObjectNode().put("type", "content_block_delta").put("index", index);
        json.putObject("delta").put("type", deltaType).put(field, value);
        return event("content_block_delta", json);
    }

    private byte[] event(String type, ObjectNode data) {
        return ("event: " + type + "\ndata: " + mapper.writeValueAsString(data) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] bytes(ObjectNode json) {
        return mapper.writeValueAsBytes(json);
    }

    /** Splits text as a real stream would, so clients must concatenate deltas; never splits a surrogate pair. */
    private static List<String> chunks(String text) {
        if (text.isEmpty()) {
            return List.of("");
        }
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + TEXT_CHUNK);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            chunks.add(text.substring(start, end));
            start = end;
        }
        return chunks;
    }
}
