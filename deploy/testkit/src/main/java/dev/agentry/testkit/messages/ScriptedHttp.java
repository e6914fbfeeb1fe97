package dev.agentry.testkit.messages;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns what a scripted server received into a {@link RecordedRequest}, credentials only as a digest. */
final class RequestRecorder {

    private static final Logger log = LoggerFactory.getLogger(RequestRecorder.class);
    private static final Set<String> SECRET_HEADERS =
            Set.of("x-api-key", "authorization", "proxy-authorization", "cookie");

    private RequestRecorder() {}

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
