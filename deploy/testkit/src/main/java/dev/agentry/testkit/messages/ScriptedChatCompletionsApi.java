package dev.agentry.testkit.messages;

import com.sun.net.httpserver.HttpExchange;
import dev.agentry.testkit.messages.ScriptedReply.ApiError;
import dev.agentry.testkit.messages.ScriptedReply.Hang;
import dev.agentry.testkit.messages.ScriptedReply.Message;
import dev.agentry.testkit.messages.ScriptedReply.Text;
import dev.agentry.testkit.messages.ScriptedReply.ToolUse;
import dev.agentry.testkit.messages.ScriptedReply.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local OpenAI-compatible chat-completions API ({@code POST <base>/chat/completions}) whose answers a test
 * scripts in advance, for testing OpenAI-compatible clients against the real protocol. Every chat-completions call
 * takes the next scripted reply, in order: a message (text, {@code tool_calls}), an error in OpenAI's documented
 * shape, or no answer. Answers stream as {@code chat.completion.chunk} events when the request says
 * {@code "stream": true}. Every request is recorded, credentials only as a digest.
 */
public final class ScriptedChatCompletionsApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptedChatCompletionsApi.class);

    private final ScriptedServer server;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final ChatCompletionsWire wire = new ChatCompletionsWire(mapper);
    private final ReplyScript script = new ReplyScript();
    private int nextId = 1;

    private ScriptedChatCompletionsApi() {
        server = new ScriptedServer(this::answer, mapper, "chat-completions API");
    }

    public static ScriptedChatCompletionsApi start() {
        return new ScriptedChatCompletionsApi();
    }

    /** The base URL an OpenAI client is given, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    public ScriptedChatCompletionsApi replyText(String text) {
        return reply(new Message(List.of(new Text(text)), Usage.DEFAULT));
    }

    /** A message that says something (may be empty), then calls one function tool. */
    public ScriptedChatCompletionsApi replyToolCall(String text, String toolName, Map<String, ?> input) {
        List<ScriptedReply.ContentBlock> content = new ArrayList<>();
        if (!text.isEmpty()) {
            content.add(new Text(text));
        }
        content.add(new ToolUse(toolName, new LinkedHashMap<>(input)));
        return reply(new Message(content, Usage.DEFAULT));
    }

    /** An HTTP error such as {@code (429, "rate_limit_exceeded", ...)} or {@code (500, "server_error", ...)}. */
    public ScriptedChatCompletionsApi replyError(int status, String type, String message) {
        return reply(new ApiError(status, type, message));
    }

    public ScriptedChatCompletionsApi reply(ScriptedReply reply) {
        script.add(reply);
        return this;
    }

    /** Every request received, in arrival order. */
    public List<RecordedRequest> requests() {
        return script.requests();
    }

    public int remainingReplies() {
        return script.remaining();
    }

    @Override
    public void close() {
        server.close();
    }

    private void answer(HttpExchange exchange, RecordedRequest request) throws IOException, InterruptedException {
        switch (replyFor(request)) {
            case Hang hang -> server.awaitClose();
            case ApiError error -> ScriptedHttp.sendJson(exchange, error.status(), wire.errorJson(error));
            case Message message -> sendMessage(exchange, request, message);
        }
    }

    private ScriptedReply replyFor(RecordedRequest request) {
        synchronized (script) {
            script.received(request);
            if (!request.isChatCompletionsCall()) {
                return new ApiError(404, "invalid_request_error", "Unknown path " + request.path());
            }
            script.turn(request);
            ScriptedReply reply = script.next();
            if (reply == null) {
                log.warn("A chat-completions call arrived after the script ran out.");
                return new ApiError(
                        400,
                        "invalid_request_error",
                        "ScriptedChatCompletionsApi: the script has no reply left for this call.");
            }
            return reply;
        }
    }

    private void sendMessage(HttpExchange exchange, RecordedRequest request, Message message) throws IOException {
        String id;
        List<String> callIds = new ArrayList<>();
        synchronized (script) {
            id = "chatcmpl-scripted-" + nextId++;
            for (int i = 0; i < message.content().size(); i++) {
                callIds.add("call_scripted_" + nextId++);
            }
        }
        String model = request.model().isEmpty() ? "gpt-scripted" : request.model();
        if (!request.isStreaming()) {
            ScriptedHttp.sendJson(exchange, 200, wire.completionJson(message, id, model, callIds));
            return;
        }
        ScriptedHttp.sendEvents(exchange, wire.chunkEvents(message, id, model, callIds));
    }
}
