package dev.agentry.worker.llm;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
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
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OpenAI-compatible chat-completions API through OpenAI's official SDK: one streamed
 * {@code POST <base>/chat/completions} per call, tools as {@code function} tools. The protocol has no error flag on
 * tool results, so a refused call's result says so in its text.
 */
final class OpenAiChatModel implements ChatModel {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final ModelClients<OpenAIClient> clients;

    OpenAiChatModel(Duration timeout, int clientCapacity) {
        this.clients = new ModelClients<>(
                clientCapacity,
                (baseUrl, apiKey) -> OpenAIOkHttpClient.builder()
                        .baseUrl(baseUrl)
                        .apiKey(apiKey)
                        .maxRetries(0)
                        .timeout(timeout)
                        .build(),
                OpenAIClient::close);
    }

    @Override
    public ModelResponse complete(ModelRequest request, Consumer<String> text) {
        OpenAIClient client = clients.client(request.baseUrl(), request.apiKey());
        try {
            ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
            try (StreamResponse<ChatCompletionChunk> stream =
                    client.chat().completions().createStreaming(params(request))) {
                stream.stream().forEach(chunk -> {
                    accumulator.accumulate(chunk);
                    chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text));
                });
            }
            return response(accumulator.chatCompletion());
        } catch (OpenAIServiceException e) {
            int status = e.statusCode();
            throw new ModelException(
                    "The chat-completions API answered " + status + ": " + e.getMessage(),
                    status,
                    ModelException.transientStatus(status),
                    e);
        } catch (OpenAIIoException e) {
            throw new ModelException("The chat-completions API could not be reached: " + e.getMessage(), 0, true, e);
        } catch (OpenAIException e) {
            throw new ModelException(
                    "The chat-completions API answered something unusable: " + e.getMessage(), 0, false, e);
        }
    }

    @Override
    public void close() {
        clients.closeAll();
    }

    private static ChatCompletionCreateParams params(ModelRequest request) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(request.model())
                .maxCompletionTokens(request.maxTokens())
                .streamOptions(
                        ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .addSystemMessage(request.system());
        for (ToolDefinition tool : request.tools()) {
            params.addTool(ChatCompletionFunctionTool.builder()
                    .function(FunctionDefinition.builder()
                            .name(tool.name())
                            .description(tool.description())
                            .parameters(FunctionParameters.builder()
                                    .additionalProperties(jsonValues(tool.inputSchema()))
                                    .build())
                            .build())
                    .build());
        }
        for (ModelMessage message : request.messages()) {
            switch (message) {
                case UserText user -> params.addUserMessage(user.text());
                case AssistantText assistant ->
                    params.addMessage(ChatCompletionAssistantMessageParam.builder()
                            .content(assistant.text())
                            .build());
                case AssistantToolCalls calls -> params.addMessage(assistantCalls(calls));
                case ToolResults results ->
                    results.results()
                            .forEach(result -> params.addMessage(ChatCompletionToolMessageParam.builder()
                                    .toolCallId(result.callId())
                                    .content(result.error() ? "Error: " + result.content() : result.content())
                                    .build()));
            }
        }
        return params.build();
    }

    private static ChatCompletionAssistantMessageParam assistantCalls(AssistantToolCalls calls) {
        ChatCompletionAssistantMessageParam.Builder assistant = ChatCompletionAssistantMessageParam.builder();
        if (!calls.text().isEmpty()) {
            assistant.content(calls.text());
        }
        for (ToolCall call : calls.calls()) {
            assistant.addToolCall(ChatCompletionMessageFunctionToolCall.builder()
                    .id(call.id())
                    .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                            .name(call.name())
                            .arguments(JSON.writeValueAsString(call.input()))
                            .build())
                    .build());
        }
        return assistant.build();
    }

    private static ModelResponse response(ChatCompletion completion) {
        if (completion.choices().isEmpty()) {
            throw new ModelException("The chat-completions API answered no choice.", 0, false, null);
        }
        ChatCompletion.Choice choice = completion.choices().getFirst();
        ChatCompletionMessage message = choice.message();
        List<ToolCall> calls = new ArrayList<>();
        message.toolCalls()
                .orElse(List.of())
                .forEach(call -> call.function()
                        .ifPresent(function -> calls.add(new ToolCall(
                                function.id(),
                                function.function().name(),
                                arguments(function.function().arguments())))));
        long input = completion.usage().map(u -> u.promptTokens()).orElse(0L);
        long output = completion.usage().map(u -> u.completionTokens()).orElse(0L);
        return new ModelResponse(
                message.content().orElse(""), calls, choice.finishReason().asString(), input, output);
    }

    private static Map<String, Object> arguments(String json) {
        try {
            Map<String, Object> arguments = JSON.readValue(json.isBlank() ? "{}" : json, OBJECT);
            return arguments == null ? Map.of() : arguments;
        } catch (JacksonException e) {
            // Not a JSON object: the tool validation answers the model that its input is malformed.
            return Map.of();
        }
    }

    private static Map<String, JsonValue> jsonValues(Map<String, Object> values) {
        Map<String, JsonValue> json = new LinkedHashMap<>();
        values.forEach((key, value) -> json.put(key, JsonValue.from(value)));
        return json;
    }
}
