package dev.agentry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Follows an SSE stream to its end and, when the connection drops first, opens it again with the last event id it
 * saw ({@code Last-Event-ID}), so the server replays exactly what was missed. It gives up after a number of failed
 * reconnections in a row; an event received resets the count. An HTTP error answer is not retried: it will not get
 * better by asking again.
 */
final class ResumableStream {

    /** Opens the stream; {@code lastEventId} is null for the first connection. */
    interface Connection {
        InputStream open(@Nullable String lastEventId);
    }

    /** Sees each event; answers true when the stream has said all it will (a final event). */
    interface Listener {
        boolean onEvent(SseEvent event);
    }

    /** {@code finished} when the listener saw its final event; else the connection was lost for good. */
    record Outcome(boolean finished, @Nullable String lastEventId) {}

    private final int maxReconnects;
    private final Duration backoff;
    private final Consumer<String> notices;

    ResumableStream(int maxReconnects, Duration backoff, Consumer<String> notices) {
        this.maxReconnects = maxReconnects;
        this.backoff = backoff;
        this.notices = notices;
    }

    Outcome follow(Connection connection, Listener listener) {
        @Nullable String lastEventId = null;
        int failures = 0;
        boolean first = true;
        while (true) {
            InputStream stream;
            try {
                stream = connection.open(lastEventId);
            } catch (UnreachableException e) {
                if (first) {
                    throw e;
                }
                if (++failures > maxReconnects) {
                    notices.accept(e.getMessage());
                    return new Outcome(false, lastEventId);
                }
                pause(failures);
                continue;
            }
            first = false;
            try (SseReader reader = new SseReader(stream, lastEventId)) {
                SseEvent event;
                while ((event = reader.next()) != null) {
                    failures = 0;
                    lastEventId = event.lastEventId();
                    if (listener.onEvent(event)) {
                        return new Outcome(true, lastEventId);
                    }
                }
                notices.accept("The stream ended early; resuming" + after(lastEventId) + ".");
            } catch (IOException e) {
                notices.accept("The connection dropped (" + e.getMessage() + "); resuming" + after(lastEventId) + ".");
            }
            if (++failures > maxReconnects) {
                return new Outcome(false, lastEventId);
            }
            pause(failures);
        }
    }

    private static String after(@Nullable String lastEventId) {
        return lastEventId == null ? " from the start" : " after event " + lastEventId;
    }

    private void pause(int failures) {
        try {
            Thread.sleep(backoff.multipliedBy(Math.min(failures, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("Interrupted while reconnecting.", e);
        }
    }
}
