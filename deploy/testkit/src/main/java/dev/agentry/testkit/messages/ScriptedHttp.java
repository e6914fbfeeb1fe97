package dev.agentry.testkit.messages;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the scripted model servers share: a loopback HTTP server, the recording of what they received (credentials
 * only as a digest), and the writing of a JSON answer or a server-sent event stream.
 */
final class ScriptedHttp {

    private static final Logger log = LoggerFactory.getLogger(ScriptedHttp.class);
    private static final Set<String> SECRET_HEADERS =
            Set.of("x-api-key", "authorization", "proxy-authorization", "cookie");

    private ScriptedHttp() {}

    /** A server on a free loopback port, handling every path with {@code handler} on {@code executor}. */
    static HttpServer start(Executor executor, HttpHandler handler, String what) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not bind the scripted " + what + " to a loopback port.", e);
        }
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    static void sendJson(HttpExchange exchange, int status, byte[] json) throws IOException {
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }

    /** A 200 {@code text/event-stream} answer, each event (already framed) flushed as it is written. */
    static void sendEvents(HttpExchange exchange, List<byte[]> events) throws IOException {
        exchange.getResponseHeaders().set("content-type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("cache-control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        for (byte[] event : events) {
            body.write(event);
            body.flush();
        }
    }

    static RecordedRequest record(HttpExchange exchange, JsonMapper mapper) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String apiKeyDigest = null;
        for (Map.Entry<String, List<String>> header :
                exchange.getRequestHeaders().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            List<String> values = header.getValue();
            if (SECRET_HEADERS.contains(name)) {
                if (name.equals("x-api-key") || (name.equals("authorization") && apiKeyDigest == null)) {
                    apiKeyDigest = RecordedRequest.digest(values.getFirst().replaceFirst("^(?i)bearer ", ""));
                }
                values = List.of(RecordedRequest.REDACTED);
            }
            headers.put(name, List.copyOf(values));
        }
        return new RecordedRequest(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(),
                headers,
                parse(bytes, mapper),
                apiKeyDigest);
    }

    private static @Nullable JsonNode parse(byte[] bytes, JsonMapper mapper) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (JacksonException e) {
            log.warn("A request to a scripted model API had a body that is not JSON.");
            return null;
        }
    }
}
