package dev.agentry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's HTTP API over the JDK's client: JSON in and out, the bearer token on every request (and nowhere
 * else: it is never part of a message or an exception), HTTP errors as {@link ApiException}, no answer at all as
 * {@link UnreachableException}.
 */
final class ApiClient {

    static final JsonMapper JSON = JsonMapper.shared();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http;
    private final String baseUrl;
    private final @Nullable String token;

    ApiClient(String baseUrl, @Nullable String token) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** A JSON answer and its status (some calls tell 200 from 202). */
    record Answer(int status, JsonNode body) {}

    JsonNode get(String path) {
        return send("GET", path, null, Map.of()).body();
    }

    JsonNode post(String path, @Nullable Object body) {
        return send("POST", path, body, Map.of()).body();
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null, Map.of()).body();
    }

    Answer send(String method, String path, @Nullable Object body, Map<String, String> headers) {
        HttpRequest request =
                request(method, path, body, headers).timeout(REQUEST_TIMEOUT).build();
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 400) {
            throw new ApiException(method + " " + path, response.statusCode(), response.body());
        }
        String text = response.body();
        return new Answer(response.statusCode(), text.isBlank() ? JSON.missingNode() : JSON.readTree(text));
    }

    /**
     * Opens a Server-Sent Events stream; the caller reads and closes it. No request timeout: a stream stays open as
     * long as the work runs (the server's keepalives show it is alive).
     */
    InputStream openStream(String method, String path, @Nullable Object body, @Nullable String lastEventId) {
        HttpRequest.Builder request = request(method, path, body, Map.of()).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = exchange(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            try (InputStream error = response.body()) {
                throw new ApiException(
                        method + " " + path,
                        response.statusCode(),
                        new String(error.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ApiException(method + " " + path, response.statusCode(), "");
            }
        }
        return response.body();
    }

    private HttpRequest.Builder request(
            String method, String path, @Nullable Object body, Map<String, String> headers) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return request;
    }

    private URI uri(String path) {
        try {
            return URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid API URL: " + baseUrl + path, e);
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new UnreachableException("Cannot reach the Agentry API at " + baseUrl + ": connect timed out.", e);
        } catch (HttpTimeoutException e) {
            throw new UnreachableException(
                    "The Agentry API at " + baseUrl + " did not answer " + request.method() + " "
                            + request.uri().getPath() + " in time.",
                    e);
        } catch (ConnectException e) {
            throw new UnreachableException(
                    "Cannot reach the Agentry API at " + baseUrl
                            + ": connection refused. Is the platform running (deploy/local/run), and is AGENTRY_URL"
                            + " right?",
                    e);
        } catch (IOException e) {
            throw new UnreachableException(
                    "The connection to the Agentry API at " + baseUrl + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("Interrupted while waiting for the Agentry API.", e);
        }
    }
}
