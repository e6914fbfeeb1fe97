package dev.agentry.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Just enough of an HTTP client of the API for end-to-end tests, with one token. */
final class PlatformClient {

    static final JsonMapper JSON = JsonMapper.shared();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String apiUrl;
    private final String token;

    PlatformClient(String apiUrl, String token) {
        this.apiUrl = apiUrl;
        this.token = token;
    }

    String submit(String body) {
        HttpResponse<String> response = send("POST", "/api/v1/tasks", body);
        if (response.statusCode() != 201) {
            throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asString();
    }

    JsonNode task(String id) {
        HttpResponse<String> response = send("GET", "/api/v1/tasks/" + id, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("get answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    String status(String id) {
        return task(id).get("status").asString();
    }

    boolean terminal(String id) {
        return switch (status(id)) {
            case "completed", "failed", "pr_created" -> true;
            default -> false;
        };
    }

    /** Any call of the API with this client's token; {@code body}, JSON, may be null. */
    HttpResponse<String> send(String method, String path, @Nullable String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .header("Authorization", "Bearer " + token)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
