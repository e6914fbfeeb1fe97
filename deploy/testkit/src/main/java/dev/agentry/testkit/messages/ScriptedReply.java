package dev.agentry.testkit.messages;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One answer of the script: a model message, an API error, or no answer at all. */
public sealed interface ScriptedReply {

    /** An assistant message; its stop reason is {@code tool_use} when it calls a tool, else {@code end_turn}. */
    record Message(List<ContentBlock> content, Usage usage) implements ScriptedReply {
        public Message {
            content = List.copyOf(content);
            if (content.isEmpty()) {
                throw new IllegalArgumentException("A scripted message needs at least one content block.");
            }
        }

        public String stopReason() {
            return content.stream().anyMatch(ToolUse.class::isInstance) ? "tool_use" : "end_turn";
        }
    }

    /** An HTTP error in the documented shape {@code {"type":"error","error":{"type":...,"message":...}}}. */
    record ApiError(int status, String type, String message) implements ScriptedReply {}

    /** Accepts the request and never answers it, until the server is closed. */
    record Hang() implements ScriptedReply {}

    sealed interface ContentBlock {}

    record Text(String text) implements ContentBlock {}

    /** A tool call; the server assigns its {@code toolu_...} id when it sends it. */
    record ToolUse(String name, Map<String, Object> input) implements ContentBlock {
        public ToolUse {
            input = new LinkedHashMap<>(input);
        }
    }

    /** Token counts reported for a message; the CLI turns them into its {@code usage} and cost. */
    record Usage(int inputTokens, int outputTokens) {
        public static final Usage DEFAULT = new Usage(25, 10);
    }
}
