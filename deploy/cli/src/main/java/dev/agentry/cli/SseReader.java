package dev.agentry.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code text/event-stream} as the WHATWG specification parses it: {@code field: value} lines, comments
 * ({@code :keepalive}) skipped, multi-line {@code data} joined by newlines, an event dispatched at each blank line
 * when it has data.
 */
final class SseReader implements AutoCloseable {

    private final BufferedReader lines;
    private @Nullable String lastEventId;

    SseReader(InputStream stream, @Nullable String lastEventId) {
        this.lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        this.lastEventId = lastEventId;
    }

    /** The next event, or null at the end of the stream. An I/O error means the connection was lost. */
    @Nullable
    SseEvent next() throws IOException {
        String name = SseEvent.UNNAMED;
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(name, data.toString(), lastEventId);
                }
                name = SseEvent.UNNAMED;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value.isEmpty() ? SseEvent.UNNAMED : value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                case "id" -> {
                    if (!value.contains("\0")) {
                        lastEventId = value;
                    }
                }
                default -> {
                    // retry and unknown fields: nothing for this client to do.
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
