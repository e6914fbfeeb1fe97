package dev.agentry.worker.llm;

import java.util.List;
import java.util.Map;

/** One entry of a provider-neutral transcript; each client maps it onto its own protocol. */
public sealed interface ModelMessage {

    record UserText(String text) implements ModelMessage {}

    record AssistantText(String text) implements ModelMessage {}

    /** An assistant answer that called tools; the next entry must be the {@link ToolResults} for these calls. */
    record AssistantToolCalls(String text, List<ToolCall> calls) implements ModelMessage {
        public AssistantToolCalls {
            calls = List.copyOf(calls);
        }
    }

    record ToolResults(List<ToolResult> results) implements ModelMessage {
        public ToolResults {
            results = List.copyOf(results);
        }
    }

    /** A tool call as the model made it; {@code input} is its parsed JSON object. */
    record ToolCall(String id, String name, Map<String, Object> input) {}

    /** The answer to one tool call; {@code error} marks a refused call (Anthropic's {@code is_error}). */
    record ToolResult(String callId, String content, boolean error) {}
}
