package dev.agentry.testkit.messages;

import dev.agentry.testkit.messages.ScriptedReply.ApiError;
import dev.agentry.testkit.messages.ScriptedReply.Message;
import dev.agentry.testkit.messages.ScriptedReply.Text;
import dev.agentry.testkit.messages.ScriptedReply.ToolUse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI chat-completions wire format: a {@code chat.completion} document, or the {@code chat.completion.chunk}
 * server-sent events of a stream ending in {@code data: [DONE]}. Text parts of a scripted message become the
 * assistant's {@code content}; its tool uses become {@code tool_calls} of type {@code function}.
 */
final class ChatCompletionsWire {

    private static final int CHUNK = 24;
    private static final long CREATED = 1_767_225_600L;

    private final JsonMapper mapper;

    ChatCompletionsWire(JsonMapper mapper) {
        this.mapper = mapper;
    }

    byte[] completionJson(Message message, String id, String model, List<String> callIds) {
        ObjectNode json = head(id, model, "chat.completion");
        ObjectNode choice = json.putArray("choices").addObject().put("index", 0);
        ObjectNode assistant = choice.putObject("message").put("role", "assistant");
        String text = text(message);
        if (text.isEmpty()) {
            assistant.putNull("content");
        } else {
            assistant.put("content", text);
        }
        List<ToolUse> uses = toolUses(message);
        if (!uses.isEmpty()) {
            ArrayNode calls = assistant.putArray("tool_calls");
            for (int i = 0; i < uses.size(); i++) {
                ObjectNode call = calls.addObject().put("id", callIds.get(i)).put("type", "function");
                call.putObject("function")
                        .put("name", uses.get(i).name())
                        .put("arguments", mapper.writeValueAsString(uses.get(i).input()));
            }
        }
        choice.put("finish_reason", finishReason(message));
        usage(json, message);
        return mapper.writeValueAsBytes(json);
    }

    List<byte[]> chunkEvents(Message message, String id, String model, List<String> callIds) {
        List<byte[]> events = new ArrayList<>();
        events.add(chunk(
                id,
                model,
                choice -> choice.putObject("delta").put("role", "assistant").put("content", "")));
        for (String piece : chunks(text(message))) {
            events.add(chunk(id, model, choice -> choice.putObject("delta").put("content", piece)));
        }
        List<ToolUse> uses = toolUses(message);
        for (int i = 0; i < uses.size(); i++) {
            int index = i;
            ToolUse use = uses.get(i);
            events.add(chunk(id, model, choice -> {
                ObjectNode call =
                        choice.putObject("delta").putArray("tool_calls").addObject();
                call.put("index", index).put("id", callIds.get(index)).put("type", "function");
                call.putObject("function").put("name", use.name()).put("arguments", "");
            }));
            for (String piece : chunks(mapper.writeValueAsString(use.input()))) {
                events.add(chunk(
                        id,
                        model,
                        choice -> choice.putObject("delta")
                                .putArray("tool_calls")
                                .addObject()
                                .put("index", index)
                                .putObject("function")
                                .put("arguments", piece)));
            }
        }
        events.add(chunk(id, model, choice -> {
            choice.putObject("delta");
            choice.put("finish_reason", finishReason(message));
        }));
        ObjectNode usage = head(id, model, "chat.completion.chunk");
        usage.putArray("choices");
        usage(usage, message);
        events.add(event(usage));
        events.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        return events;
    }

    byte[] errorJson(ApiError error) {
        ObjectNode json = mapper.createObjectNode();
        json.putObject("error")
                .put("message", error.message())
                .put("type", error.type())
                .putNull("param")
                .putNull("code");
        return mapper.writeValueAsBytes(json);
    }

    /** One {@code chat.completion.chunk} event with one choice, which {@code fill} completes. */
    private byte[] chunk(String id, String model, Consumer<ObjectNode> fill) {
        ObjectNode json = head(id, model, "chat.completion.chunk");
        ObjectNode choice = json.putArray("choices").addObject().put("index", 0);
        choice.putNull("finish_reason");
        fill.accept(choice);
        return event(json);
    }

    private ObjectNode head(String id, String model, String object) {
        return mapper.createObjectNode()
                .put("id", id)
                .put("object", object)
                .put("created", CREATED)
                .put("model", model);
    }

    private byte[] event(ObjectNode chunk) {
        return ("data: " + mapper.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void usage(ObjectNode json, Message message) {
        json.putObject("usage")
                .put("prompt_tokens", message.usage().inputTokens())
                .put("completion_tokens", message.usage().outputTokens())
                .put(
                        "total_tokens",
                        message.usage().inputTokens() + message.usage().outputTokens());
    }

    private static String finishReason(Message message) {
        return toolUses(message).isEmpty() ? "stop" : "tool_calls";
    }

    private static String text(Message message) {
        StringBuilder text = new StringBuilder();
        message.content().forEach(block -> {
            if (block instanceof Text t) {
                text.append(t.text());
            }
        });
        return text.toString();
    }

    static List<ToolUse> toolUses(Message message) {
        return message.content().stream()
                .filter(ToolUse.class::isInstance)
                .map(ToolUse.class::cast)
                .toList();
    }

    private static List<String> chunks(String text) {
        List<String> chunks = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = Math.min(text.length(), start + CHUNK);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            chunks.add(text.substring(start, end));
            start = end;
        }
        return chunks;
    }
}
