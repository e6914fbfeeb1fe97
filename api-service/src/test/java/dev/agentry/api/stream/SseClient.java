package dev.agentry.api.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A small Server-Sent Events client that parses the wire format as the HTML standard describes (fields, comments,
 * blank-line dispatch), so tests assert on events, not on strings.
 */
final class SseClient implements AutoCloseable {

    record Event(@Nullable String id, String name, String data) {}

    static final Event COMMENT = new Event(null, ":comment", "");
    private static final Event CLOSED = new Event(null, ":closed", "");

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final int status;

    SseClient(String url, String token, @Nullable String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofLines());
        status = response.statusCode();
        reader = Thread.ofVirtual().start(() -> parse(response.body()));
    }

    int status() {
        return status;
    }

    private void parse(Stream<String> lines) {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        boolean hasData = false;
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (hasData) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    name = "message";
                    data.setLength(0);
                    hasData = false;
                } else if (line.startsWith(":")) {
                    events.add(COMMENT);
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> name = value;
                        case "data" -> {
                            if (hasData) {
                                data.append('\n');
                            }
                            data.append(value);
                            hasData = true;
                        }
                        default -> {}
                    }
                }
            }
        } catch (RuntimeException e) {
            // the connection went away
        } finally {
            events.add(CLOSED);
        }
    }

    /** The next event or comment, failing after the timeout; {@code null} once the server closed the stream. */
    @Nullable
    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no SSE event within " + timeout);
        }
        return event == CLOSED ? null : event;
    }

    /** Events (not comments) until the server closes the stream. */
    List<Event> untilClosed(Duration timeout) throws InterruptedException {
        List<Event> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Event event = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (event == null) {
                return all;
            }
            if (event != COMMENT) {
                all.add(event);
            }
        }
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
