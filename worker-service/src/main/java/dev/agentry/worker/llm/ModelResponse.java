package dev.agentry.worker.llm;

import dev.agentry.worker.llm.ModelMessage.ToolCall;
import java.util.List;

/**
 * What one model call answered.
 *
 * @param text all text blocks, concatenated
 * @param toolCalls the tool calls, in the order the model made them; empty when it ended its turn
 * @param stopReason the provider's stop or finish reason, as it sent it
 */
public record ModelResponse(
        String text, List<ToolCall> toolCalls, String stopReason, long inputTokens, long outputTokens) {

    public ModelResponse {
        toolCalls = List.copyOf(toolCalls);
    }

    public boolean wantsToolResults() {
        return !toolCalls.isEmpty();
    }
}
