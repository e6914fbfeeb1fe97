package dev.agentry.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A loopback stand-in for seed 002's {@code POST /api/v1/execute/stream}, speaking its documented frame shape
 * ({@code id:} plus {@code data: {timestamp, event_type, message, details}}): {@code started} with the session id,
 * progress frames, then {@code complete {status, session_id}}. A request with {@code Last-Event-ID} gets the frames
 * after that id of the session's current mission, as the real stream resumes. Each mission plays the next scripted
 * outcome; a script may close the first connection after a number of frames. {@code GET /api/v1/sessions[/{id}]}
 * shows the sessions its missions ran in.
 */
final class MissionStandIn implements AutoCloseable {

    static final String TOKEN = "stand-in-token";

    /** A request as it came in: its body and the headers the client sent. */
    record Request(
            JsonNode body,
            @Nullable String lastEventId,
            @Nullable String authorization) {}

    private record Script(List<ObjectNode> frames, int dropAfter) {}

    private final HttpServer server;
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final Map<String, List<String>> sessionFrames = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> sessions = new ConcurrentHashMap<>();
    private volatile boolean stallResumed;

    private MissionStandIn(HttpServer server) {
        this.server = server;
    }

    static MissionStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            MissionStandIn standIn = new MissionStandIn(server);
            server.createContext("/api/v1/execute/stream", standIn::handle);
            server.createContext("/api/v1/sessions", standIn::sessions);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    void reset() {
        synchronized (scripts) {
            scripts.clear();
        }
        requests.clear();
        stallResumed = false;
    }

    /** The next mission streams these progress frames, then {@code complete} with this status and message. */
    void nextMission(String status, String message, List<ObjectNode> progress, int dropAfter) {
        List<ObjectNode> frames = new ArrayList<>(progress);
        frames.add(frame("complete", message, Map.of("status", status)));
        synchronized (scripts) {
            scripts.add(new Script(frames, dropAfter));
        }
    }

    /** Resumed connections close before any frame: a stream that never recovers from its first drop. */
    void stallResumedConnections() {
        stallResumed = true;
    }

    static ObjectNode frame(String type, String message, Map<String, String> details) {
        ObjectNode frame = ApiClient.JSON
                .createObjectNode()
                .put("timestamp", Instant.now().toString())
                .put("event_type", type)
                .put("message", message);
        ObjectNode d = frame.putObject("details");
        details.forEach(d::put);
        return frame;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = ApiClient.JSON.readTree(exchange.getRequestBody().readAllBytes());
            String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            requests.add(
                    new Request(body, lastEventId, exchange.getRequestHeaders().getFirst("Authorization")));
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"detail\":\"Not authenticated\"}");
                return;
            }
            if (body.path("mission").asString("").isBlank()) {
                answer(exchange, 422, "{\"detail\":[{\"loc\":[\"body\",\"mission\"],\"msg\":\"Field required\"}]}");
                return;
            }
            String profile = body.path("profile").asString("dev");
            if (!profile.equals("dev")) {
                answer(exchange, 404, "{\"detail\":\"Profile not found: " + profile + "\"}");
                return;
            }
            String session = body.path("session_id").isString()
                    ? body.get("session_id").asString()
                    : UUID.randomUUID().toString();
            List<String> frames;
            int dropAfter;
            if (lastEventId != null && sessionFrames.containsKey(session)) {
                frames = stallResumed ? List.of() : sessionFrames.get(session);
                dropAfter = 0;
            } else {
                Script script;
                synchronized (scripts) {
                    script = scripts.poll();
                }
                if (script == null) {
                    answer(exchange, 500, "{\"detail\":\"the stand-in has no mission scripted\"}");
                    return;
                }
                frames = withSession(script.frames(), session);
                sessionFrames.put(session, frames);
                remember(
                        session,
                        body.path("mission").asString(),
                        script.frames().getLast());
                dropAfter = script.dropAfter();
            }
            stream(exchange, frames, lastEventId == null ? 0 : Integer.parseInt(lastEventId), dropAfter);
        }
    }

    /** The session as seed 002 shows it, with the status its latest mission ends in. */
    private void remember(String session, String mission, ObjectNode complete) {
        sessions.merge(
                session,
                ApiClient.JSON
                        .createObjectNode()
                        .put("session_id", session)
                        .put("mission", mission)
                        .put("status", complete.at("/details/status").asString())
                        .put("created_at", Instant.now().toString()),
                (old, latest) -> old.put("status", latest.get("status").asString()));
    }

    /** {@code GET /api/v1/sessions} (a bare list, as the seed shows) and {@code GET /api/v1/sessions/{id}}. */
    private void sessions(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"detail\":\"Not authenticated\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/v1/sessions")) {
                answer(exchange, 200, ApiClient.JSON.writeValueAsString(List.copyOf(sessions.values())));
                return;
            }
            ObjectNode session = sessions.get(path.substring("/api/v1/sessions/".length()));
            if (session == null) {
                answer(exchange, 404, "{\"detail\":\"Session not found\"}");
                return;
            }
            answer(exchange, 200, ApiClient.JSON.writeValueAsString(session));
        }
    }

    private static List<String> withSession(List<ObjectNode> script, String session) {
        List<String> frames = new ArrayList<>();
        frames.add(ApiClient.JSON.writeValueAsString(
                frame("started", "Mission started", Map.of("session_id", session, "profile", "dev"))));
        for (ObjectNode frame : script) {
            ObjectNode copy = frame.deepCopy();
            if (copy.path("event_type").asString().equals("complete")) {
                ((ObjectNode) copy.get("details")).put("session_id", session);
            }
            frames.add(ApiClient.JSON.writeValueAsString(copy));
        }
        return frames;
    }

    /** Frames after {@code after} (ids are 1-based positions); with {@code dropAfter > 0}, only that many. */
    private static void stream(HttpExchange exchange, List<String> frames, int after, int dropAfter)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
        int sent = 0;
        for (int i = after; i < frames.size(); i++) {
            if (dropAfter > 0 && sent == dropAfter) {
                return;
            }
            out.write(("id: " + (i + 1) + "\ndata: " + frames.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            sent++;
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
