package dev.agentry.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Just enough of an HTTP client of the tasks API for end-to-end tests. */
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
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 201) {
            throw new AssertionError("submit answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asString();
    }

    JsonNode task(String id) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(apiUrl + "/api/v1/tasks/" + id))
                .header("Authorization", "Bearer " + token)
                .GET());
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

    private HttpResponse<String> send(HttpRequest.Builder request) {
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
