package dev.agentry.api.conversation;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** An open Server-Sent Events response, its lines collected as they arrive; closing it hangs up. */
final class SseLines implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    SseLines(HttpRequest request) {
        this.response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            try (Stream<String> body = r.body()) {
                body.forEach(lines::add);
            } catch (RuntimeException e) {
                // the stream was closed by this side
            }
        });
    }

    int status() {
        return response.join().statusCode();
    }

    /** The data lines of the events named {@code event}, in order, without the {@code data:} prefix. */
    List<String> data(String event) {
        List<String> found = new java.util.ArrayList<>();
        String name = null;
        for (String line : List.copyOf(lines)) {
            if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:") && event.equals(name)) {
                found.add(line.substring(5));
            } else if (line.isEmpty()) {
                name = null;
            }
        }
        return found;
    }

    /** The ids of the events, in order. */
    List<String> ids() {
        return lines.stream()
                .filter(l -> l.startsWith("id:"))
                .map(l -> l.substring(3).strip())
                .toList();
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
    }
}
