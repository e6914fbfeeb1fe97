package dev.agentry.worker.llm;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicRetryableException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.agentry.worker.llm.ModelMessage.AssistantText;
import dev.agentry.worker.llm.ModelMessage.AssistantToolCalls;
import dev.agentry.worker.llm.ModelMessage.ToolCall;
import dev.agentry.worker.llm.ModelMessage.ToolResults;
import dev.agentry.worker.llm.ModelMessage.UserText;
import dev.agentry.worker.llm.ModelRequest.ToolDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The Anthropic Messages API through the official SDK: one streamed {@code POST /v1/messages} per call. */
final class AnthropicChatModel implements ChatModel {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final ModelClients<AnthropicClient> clients;

    AnthropicChatModel(Duration timeout, int clientCapacity) {
        // Retries are the caller's (resilience4j, so they are counted and bounded in one place): none in the SDK.
        this.clients = new ModelClients<>(
                clientCapacity,
                (baseUrl, apiKey) -> AnthropicOkHttpClient.builder()
                        .baseUrl(baseUrl)
                        .apiKey(apiKey)
                        .maxRetries(0)
                        .timeout(timeout)
                        .build(),
                AnthropicClient::close);
    }

    @Override
    public ModelResponse complete(ModelRequest request, Consumer<String> text) {
        AnthropicClient client = clients.client(request.baseUrl(), request.apiKey());
        try {
            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> stream =
                    client.messages().createStreaming(params(request))) {
                stream.stream().forEach(event -> {
                    accumulator.accumulate(event);
                    event.contentBlockDelta()
                            .flatMap(delta -> delta.delta().text())
                            .ifPresent(delta -> text.accept(delta.text()));
                });
            }
            return response(accumulator.message());
        } catch (AnthropicServiceException e) {
            int status = e.statusCode();
            throw new ModelException(
                    "The Anthropic API answered " + status + ": "
                            + e.apiMessage().orElse(e.getMessage()),
                    status,
                    ModelException.transientStatus(status) || e instanceof SseException,
                    e);
        } catch (AnthropicIoException | AnthropicRetryableException e) {
            throw new ModelException("The Anthropic API could not be reached: " + e.getMessage(), 0, true, e);
        } catch (AnthropicException e) {
            throw new ModelException("The Anthropic API answered something unusable: " + e.getMessage(), 0, false, e);
        }
    }

    @Override
    public void close() {
        clients.closeAll();
    }

    private static MessageCreateParams params(ModelRequest request) {
        MessageCreateParams.Builder params = MessageCreateParams.builder()
                .model(request.model())
                .maxTokens(request.maxTokens())
                .system(request.system());
        request.tools().forEach(tool -> params.addTool(tool(tool)));
        for (ModelMessage message : request.messages()) {
            params.addMessage(param(message));
        }
        return params.build();
    }

    private static Tool tool(ToolDefinition definition) {
        Map<String, Object> schema = definition.inputSchema();
        Tool.InputSchema.Builder input = Tool.InputSchema.builder()
                .properties(Tool.InputSchema.Properties.builder()
                        .additionalProperties(jsonValues(mapOf(schema.get("properties"))))
                        .build());
        if (schema.get("required") instanceof List<?> required && !required.isEmpty()) {
            input.required(required.stream().map(String::valueOf).toList());
        }
        return Tool.builder()
                .name(definition.name())
                .description(definition.description())
                .inputSchema(input.build())
                .build();
    }

    private static MessageParam param(ModelMessage message) {
        return switch (message) {
            case UserText user -> MessageParam.ofUser(user.text());
            case AssistantText assistant -> MessageParam.ofAssistant(assistant.text());
            case AssistantToolCalls calls -> {
                List<ContentBlockParam> blocks = new ArrayList<>();
                if (!calls.text().isEmpty()) {
                    blocks.add(ContentBlockParam.ofText(calls.text()));
                }
                for (ToolCall call : calls.calls()) {
                    blocks.add(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder()
                            .id(call.id())
                            .name(call.name())
                            .input(ToolUseBlockParam.Input.builder()
                                    .additionalProperties(jsonValues(call.input()))
                                    .build())
                            .build()));
                }
                yield MessageParam.ofAssistantOfContentBlockParams(blocks);
            }
            case ToolResults results ->
                MessageParam.ofUserOfContentBlockParams(results.results().stream()
                        .map(result -> ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                                .toolUseId(result.callId())
                                .content(result.content())
                                .isError(result.error())
                                .build()))
                        .toList());
        };
    }

    private static ModelResponse response(Message message) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (ContentBlock block : message.content()) {
            block.text().ifPresent(t -> text.append(t.text()));
            block.toolUse().ifPresent(use -> calls.add(new ToolCall(use.id(), use.name(), input(use))));
        }
        return new ModelResponse(
                text.toString(),
                calls,
                message.stopReason().map(StopReason::asString).orElse(""),
                message.usage().inputTokens(),
                message.usage().outputTokens());
    }

    private static Map<String, Object> input(ToolUseBlock use) {
        try {
            Map<String, Object> input = use._input().convert(OBJECT);
            return input == null ? Map.of() : input;
        } catch (RuntimeException e) {
            // Not an object: the tool validation answers the model that its input is malformed.
            return Map.of();
        }
    }

    private static Map<String, JsonValue> jsonValues(Map<String, Object> values) {
        Map<String, JsonValue> json = new LinkedHashMap<>();
        values.forEach((key, value) -> json.put(key, JsonValue.from(value)));
        return json;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapOf(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
