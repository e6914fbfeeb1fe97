package dev.agentry.worker.llm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * One SDK client per endpoint and key, kept for the calls that follow so they reuse its connection pool instead
 * of opening a new one (and a TLS handshake) per model call. Bounded: past {@code capacity} the least recently
 * used client is dropped, not closed, since a turn may still be streaming through it; its idle connections time
 * out on their own. A key appears here only as a digest, so the map's keys reveal nothing.
 *
 * @param <C> the SDK's client type
 */
final class ModelClients<C> {

    private final int capacity;
    private final BiFunction<String, String, C> open;
    private final Consumer<C> close;
    private final Map<String, C> clients;

    /**
     * @param open builds a client from a base URL and an API key
     * @param close releases a client, once no call can use it any more
     */
    ModelClients(int capacity, BiFunction<String, String, C> open, Consumer<C> close) {
        this.capacity = capacity;
        this.open = open;
        this.close = close;
        this.clients = new LinkedHashMap<>(16, 0.75f, true);
    }

    synchronized C client(String baseUrl, String apiKey) {
        String key = baseUrl + '\n' + digest(apiKey);
        C client = clients.get(key);
        if (client == null) {
            client = open.apply(baseUrl, apiKey);
            clients.put(key, client);
            if (clients.size() > capacity) {
                var eldest = clients.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
        }
        return client;
    }

    /** Closes every client; called when the worker stops, after its turns have ended. */
    synchronized void closeAll() {
        clients.values().forEach(close);
        clients.clear();
    }

    private static String digest(String apiKey) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
