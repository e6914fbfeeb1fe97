package dev.agentry.worker.llm;

import java.util.List;
import java.util.Map;

/**
 * What one model call sends.
 *
 * @param baseUrl the API's base URL
 * @param apiKey the provider key in plaintext; never logged, never in {@link #toString()}
 * @param messages the transcript, oldest first, starting with a user message
 */
public record ModelRequest(
        String baseUrl,
        String apiKey,
        String model,
        int maxTokens,
        String system,
        List<ModelMessage> messages,
        List<ToolDefinition> tools) {

    public ModelRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    @Override
    public String toString() {
        return "ModelRequest[baseUrl=" + baseUrl + ", apiKey=***, model=" + model + ", messages=" + messages.size()
                + ", tools=" + tools.size() + "]";
    }

    /** A tool the model may call, with the JSON schema of its input (an {@code object} schema). */
    public record ToolDefinition(String name, String description, Map<String, Object> inputSchema) {}
}
