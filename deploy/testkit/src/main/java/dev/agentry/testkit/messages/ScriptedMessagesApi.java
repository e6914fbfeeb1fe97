package dev.agentry.testkit.messages;

import com.sun.net.httpserver.HttpExchange;
import dev.agentry.testkit.messages.ScriptedReply.ApiError;
import dev.agentry.testkit.messages.ScriptedReply.Hang;
import dev.agentry.testkit.messages.ScriptedReply.Message;
import dev.agentry.testkit.messages.ScriptedReply.Text;
import dev.agentry.testkit.messages.ScriptedReply.ToolUse;
import dev.agentry.testkit.messages.ScriptedReply.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local Anthropic Messages API whose answers a test scripts in advance, for running the real Claude Code CLI
 * (or any Messages API client) with {@code ANTHROPIC_BASE_URL=}{@link #baseUrl()}.
 *
 * <p>Each <em>conversation turn</em> (see {@link #isConversationTurn}) takes the next scripted reply, in order.
 * Everything else a client sends on the side (count_tokens, quota checks, title or summary calls without tools,
 * {@code HEAD /api/hello} probes) gets a generic answer and leaves the script alone. A client that retries a turn
 * (Claude Code resends the same {@code messages} after an error, under the same {@code X-Claude-Code-Session-Id})
 * gets the same reply again rather than the next one, so one {@link #replyError} fails the whole turn, retries
 * included. A turn that finds the script empty is answered with a 400 naming the problem.
 *
 * <p>Answers stream ({@code text/event-stream}) when the request says {@code "stream": true}, else they are one JSON
 * document. Every request is recorded, credentials only as a digest.
 */
public final class ScriptedMessagesApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptedMessagesApi.class);
    private static final String SESSION_HEADER = "x-claude-code-session-id";

    private final ScriptedServer server;
    private final Predicate<RecordedRequest> conversationTurn;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final MessagesWire wire = new MessagesWire(mapper);

    private final ReplyScript script = new ReplyScript();
    private final Map<String, ScriptedReply> answeredTurns = new HashMap<>();
    private int nextId = 1;

    private ScriptedMessagesApi(Predicate<RecordedRequest> conversationTurn) {
        this.conversationTurn = conversationTurn;
        server = new ScriptedServer(this::answerRecorded, mapper, "Messages API");
        log.debug("Scripted Messages API listens on {}.", baseUrl());
    }

    /** Starts a server on a free loopback port that tells turns from side requests by {@link #isConversationTurn}. */
    public static ScriptedMessagesApi start() {
        return new ScriptedMessagesApi(ScriptedMessagesApi::isConversationTurn);
    }

    /** Starts a server with its own rule for which requests consume the script. */
    public static ScriptedMessagesApi start(Predicate<RecordedRequest> conversationTurn) {
        return new ScriptedMessagesApi(conversationTurn);
    }

    /**
     * The default rule: a {@code POST /v1/messages} that offers tools and may answer more than one token. Claude
     * Code sends its full tool list on every turn of the main conversation (and of sub-agents, which a test scripts
     * too); its side calls (quota check with {@code max_tokens: 1}, titles, summaries, classifiers) send no tools.
     * Runs with {@code --tools ""} send no tools either: start the server with a rule of your own for those.
     */
    public static boolean isConversationTurn(RecordedRequest request) {
        return request.isMessagesCall()
                && request.maxTokens() > 1
                && !request.toolNames().isEmpty();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public ScriptedMessagesApi replyText(String text) {
        return reply(new Message(List.of(new Text(text)), Usage.DEFAULT));
    }

    public ScriptedMessagesApi replyToolUse(String toolName, Map<String, ?> input) {
        return reply(new Message(List.of(new ToolUse(toolName, copy(input))), Usage.DEFAULT));
    }

    /** A message that says something, then calls a tool, as models usually do. */
    public ScriptedMessagesApi replyToolUse(String text, String toolName, Map<String, ?> input) {
        return reply(new Message(List.of(new Text(text), new ToolUse(toolName, copy(input))), Usage.DEFAULT));
    }

    /** An HTTP error such as {@code (400, "invalid_request_error", ...)}, {@code (529, "overloaded_error", ...)}. */
    public ScriptedMessagesApi replyError(int status, String type, String message) {
        return reply(new ApiError(status, type, message));
    }

    /** The turn gets no answer at all until this server is closed. */
    public ScriptedMessagesApi hang() {
        return reply(new Hang());
    }

    public ScriptedMessagesApi reply(ScriptedReply reply) {
        script.add(reply);
        return this;
    }

    /** Every request received, side requests included, in arrival order. */
    public List<RecordedRequest> requests() {
        return script.requests();
    }

    /** The requests answered from the script (conversation turns and their retries), in arrival order. */
    public List<RecordedRequest> turns() {
        return script.turns();
    }

    public int remainingReplies() {
        return script.remaining();
    }

    /**
     * Waits until at least {@code count} conversation turns have arrived and returns them.
     *
     * @throws AssertionError when they do not arrive in time, listing what did arrive
     */
    public List<RecordedRequest> awaitTurns(int count, Duration timeout) {
        return script.awaitTurns(count, timeout);
    }

    /** Releases hanging requests and stops the server. */
    @Override
    public void close() {
        server.close();
    }

    private void answerRecorded(HttpExchange exchange, RecordedRequest request) throws IOException {
        ScriptedReply reply = replyFor(request);
        if (reply == null) {
            answerAside(exchange, request);
        } else {
            answer(exchange, request, reply);
        }
    }

    private @Nullable ScriptedReply replyFor(RecordedRequest request) {
        synchronized (script) {
            script.received(request);
            if (!conversationTurn.test(request)) {
                return null;
            }
            script.turn(request);
            String turnKey = turnKey(request);
            ScriptedReply retried = turnKey == null ? null : answeredTurns.get(turnKey);
            if (retried != null) {
                return retried;
            }
            ScriptedReply reply = script.next();
            if (reply == null) {
                log.warn(
                        "A conversation turn arrived after the script ran out: {}.",
                        ReplyScript.summary(List.of(request)));
                reply = new ApiError(
                        400,
                        "invalid_request_error",
                        "ScriptedMessagesApi: the script has no reply left for this conversation turn.");
            }
            if (turnKey != null) {
                answeredTurns.put(turnKey, reply);
            }
            return reply;
        }
    }

    /**
     * Same session, same user and assistant messages: a retry of a turn already answered. Messages with role
     * {@code system} are left out because Claude Code amends them between retries (after a 400 it drops a beta and
     * appends a note that ToolSearch is gone). Null, so never a retry, for clients that send no session id.
     */
    private static @Nullable String turnKey(RecordedRequest request) {
        return request.header(SESSION_HEADER)
                .map(session -> session + "\n"
                        + request.messages().values().stream()
                                .filter(message ->
                                        !message.path("role").asString("").equals("system"))
                                .map(JsonNode::toString)
                                .toList())
                .orElse(null);
    }

    private void answer(HttpExchange exchange, RecordedRequest request, ScriptedReply reply) throws IOException {
        switch (reply) {
            case Hang hang -> awaitClose();
            case ApiError error -> {
                String requestId = "req_scripted_" + nextId();
                exchange.getResponseHeaders().set("request-id", requestId);
                ScriptedHttp.sendJson(exchange, error.status(), wire.errorJson(error, requestId));
            }
            case Message message -> sendMessage(exchange, request, message);
        }
    }

    private void answerAside(HttpExchange exchange, RecordedRequest request) throws IOException {
        if (request.isMessagesCall()) {
            sendMessage(exchange, request, new Message(List.of(new Text("OK")), new Usage(1, 1)));
        } else if (request.path().equals("/v1/messages/count_tokens")) {
            int roughTokens = Math.max(1, String.valueOf(request.body()).length() / 4);
            ScriptedHttp.sendJson(exchange, 200, wire.countTokensJson(roughTokens));
        } else if (request.method().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
        } else {
            ScriptedHttp.sendJson(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void sendMessage(HttpExchange exchange, RecordedRequest request, Message message) throws IOException {
        String id = "msg_scripted_" + nextId();
        List<String> toolUseIds = new ArrayList<>();
        for (int i = 0; i < message.content().size(); i++) {
            toolUseIds.add("toolu_scripted_" + nextId());
        }
        String model = request.model().isEmpty() ? "claude-scripted" : request.model();
        exchange.getResponseHeaders().set("request-id", "req_" + id);
        if (!request.isStreaming()) {
            ScriptedHttp.sendJson(exchange, 200, wire.messageJson(message, id, model, toolUseIds));
            return;
        }
        ScriptedHttp.sendEvents(exchange, wire.messageEvents(message, id, model, toolUseIds));
    }

    private void awaitClose() {
        try {
            server.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int nextId() {
        synchronized (script) {
            return nextId++;
        }
    }

    private static Map<String, Object> copy(Map<String, ?> input) {
        return new LinkedHashMap<>(input);
    }
}
