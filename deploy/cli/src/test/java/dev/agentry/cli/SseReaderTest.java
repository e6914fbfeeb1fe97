package dev.agentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    @Test
    void readsNamedAndUnnamedEventsSkipsCommentsAndJoinsDataLines() throws IOException {
        List<SseEvent> events = read("""
                : keepalive

                event: connected
                data: {"status":"running"}

                id: 7
                data: first line
                data:second line

                : keepalive
                data: no id of its own

                event: done
                data: {}

                """, null);

        assertThat(events)
                .containsExactly(
                        new SseEvent("connected", "{\"status\":\"running\"}", null),
                        new SseEvent(SseEvent.UNNAMED, "first line\nsecond line", "7"),
                        // The last event id persists until the next id field, as the specification says.
                        new SseEvent(SseEvent.UNNAMED, "no id of its own", "7"),
                        new SseEvent("done", "{}", "7"));
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndTheResumedIdCarriesOn() throws IOException {
        List<SseEvent> events = read("event: ping\n\nid: 12\n\ndata: x\n\n", "11");

        assertThat(events).containsExactly(new SseEvent(SseEvent.UNNAMED, "x", "12"));
    }

    @Test
    void anUnfinishedEventAtTheEndOfTheStreamIsDropped() throws IOException {
        assertThat(read("id: 3\ndata: complete\n\nid: 4\ndata: cut off", null))
                .containsExactly(new SseEvent(SseEvent.UNNAMED, "complete", "3"));
    }

    private static List<SseEvent> read(String stream, String lastEventId) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader =
                new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), lastEventId)) {
            SseEvent event;
            while ((event = reader.next()) != null) {
                events.add(event);
            }
        }
        return events;
    }
}
