package dev.agentry.worker.github;

import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pull-request calls of GitHub's REST API (v3, {@code 2022-11-28}). The token travels only in the
 * {@code Authorization} header. Rate limits (403/429 with {@code Retry-After}, or {@code x-ratelimit-remaining: 0}
 * with {@code x-ratelimit-reset}) and 5xx/IO failures are retried by a resilience4j {@link Retry}, waiting what
 * GitHub asks for (bounded by {@code max-wait}) or an exponential backoff; a rate limit that resets later than
 * {@code max-wait} fails at once rather than holding the worker.
 */
@Component
@EnableConfigurationProperties(GitHubProperties.class)
public class GitHubClient {

    private static final Logger log = LoggerFactory.getLogger(GitHubClient.class);
    private static final String API_VERSION = "2022-11-28";

    private final GitHubProperties properties;
    private final JsonMapper json;
    private final HttpClient http;
    private final Retry retry;

    public GitHubClient(GitHubProperties properties) {
        this.properties = properties;
        this.json = JsonMapper.builder().build();
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.requestTimeout())
                // Never follow: a redirect would carry the Authorization header to wherever it points.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.retry = Retry.of(
                "github",
                RetryConfig.custom()
                        .maxAttempts(properties.maxAttempts())
                        .retryOnException(this::worthRetrying)
                        .intervalBiFunction(this::backoff)
                        .build());
        retry.getEventPublisher()
                .onRetry(event -> log.warn(
                        "GitHub call failed ({}); attempt {} follows in {} ms.",
                        event.getLastThrowable() == null
                                ? "?"
                                : event.getLastThrowable().getMessage(),
                        event.getNumberOfRetryAttempts() + 1,
                        event.getWaitInterval().toMillis()));
    }

    /** The outcome of {@link #openPullRequest}: the pull request, and whether it was open already. */
    public record Opened(PullRequest pullRequest, boolean existing) {}

    /**
     * Opens a pull request from {@code head} into {@code base}; when GitHub says one is open for {@code head}
     * already, returns that one.
     */
    public Opened openPullRequest(
            GitHubRepository repository, String token, String title, String body, String head, String base) {
        try {
            return new Opened(create(repository, token, title, body, head, base), false);
        } catch (GitHubException.PullRequestExists e) {
            log.info("A pull request for {}:{} is open already; returning it.", repository, head);
            return new Opened(
                    findOpen(repository, token, head)
                            .orElseThrow(() -> new GitHubException(
                                    422, "GitHub says a pull request exists for " + head + " but lists none")),
                    true);
        }
    }

    public PullRequest create(
            GitHubRepository repository, String token, String title, String body, String head, String base) {
        ObjectNode request = json.createObjectNode()
                .put("title", title)
                .put("body", body)
                .put("head", head)
                .put("base", base);
        URI uri = uri("/repos/" + repository.owner() + "/" + repository.name() + "/pulls");
        JsonNode created = call(
                () -> HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request))),
                token);
        return pullRequest(created);
    }

    /** The open pull request whose head is {@code branch} of the repository itself, if any. */
    public Optional<PullRequest> findOpen(GitHubRepository repository, String token, String branch) {
        String head = URLEncoder.encode(repository.owner() + ":" + branch, StandardCharsets.UTF_8);
        URI uri = uri("/repos/" + repository.owner() + "/" + repository.name() + "/pulls?state=open&head=" + head);
        JsonNode list = call(() -> HttpRequest.newBuilder(uri).GET(), token);
        if (!list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pullRequest(list.get(0)));
    }

    private JsonNode call(Supplier<HttpRequest.Builder> request, String token) {
        return retry.executeSupplier(() -> once(request.get(), token));
    }

    private JsonNode once(HttpRequest.Builder builder, String token) {
        HttpRequest request = builder.header("Authorization", "Bearer " + token)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
                .header("Content-Type", "application/json")
                .header("User-Agent", "agentry-worker")
                .timeout(properties.requestTimeout())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GitHubException.Unavailable(0, "GitHub could not be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException.Unavailable(0, "interrupted while calling GitHub", e);
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300) {
            return body;
        }
        String message = body.path("message").asString("GitHub answered " + status);
        Duration rateLimitWait = rateLimitWait(response);
        if (status == 429
                || (status == 403
                        && (rateLimitWait != null
                                || message.toLowerCase(java.util.Locale.ROOT).contains("rate limit")))) {
            throw new GitHubException.RateLimited(status, "GitHub rate limit: " + message, rateLimitWait);
        }
        if (status == 401 || status == 403 || status == 404) {
            throw new GitHubException.Unauthorized(status, message);
        }
        if (status == 422) {
            for (JsonNode error : body.path("errors")) {
                String text = error.path("message").asString("");
                if (text.startsWith("A pull request already exists")) {
                    throw new GitHubException.PullRequestExists(text);
                }
            }
            throw new GitHubException(422, message + details(body));
        }
        if (status >= 500) {
            throw new GitHubException.Unavailable(status, "GitHub answered " + status + ": " + message, null);
        }
        throw new GitHubException(status, message);
    }

    /** What GitHub asks us to wait: {@code Retry-After}, or until {@code x-ratelimit-reset} when none remain. */
    private static @Nullable Duration rateLimitWait(HttpResponse<?> response) {
        Optional<String> retryAfter = response.headers().firstValue("retry-after");
        if (retryAfter.isPresent()) {
            try {
                return Duration.ofSeconds(Long.parseLong(retryAfter.get().strip()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (response.headers()
                .firstValue("x-ratelimit-remaining")
                .map(String::strip)
                .orElse("")
                .equals("0")) {
            Optional<String> reset = response.headers().firstValue("x-ratelimit-reset");
            if (reset.isPresent()) {
                try {
                    Duration until = Duration.between(
                            Instant.now(),
                            Instant.ofEpochSecond(Long.parseLong(reset.get().strip())));
                    return until.isNegative() ? Duration.ZERO : until.plusSeconds(1);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private boolean worthRetrying(Throwable failure) {
        if (failure instanceof GitHubException.RateLimited limited) {
            return limited.retryAfter() == null || limited.retryAfter().compareTo(properties.maxWait()) <= 0;
        }
        return failure instanceof GitHubException.Unavailable;
    }

    private Long backoff(Integer attempt, Either<Throwable, Object> outcome) {
        Duration backoff = properties.initialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        if (outcome.isLeft()
                && outcome.getLeft() instanceof GitHubException.RateLimited limited
                && limited.retryAfter() != null) {
            backoff = limited.retryAfter();
        }
        return Math.min(backoff.toMillis(), properties.maxWait().toMillis());
    }

    private URI uri(String path) {
        String base = properties.baseUrl().toString().replaceAll("/+$", "");
        return URI.create(base + path);
    }

    private JsonNode parse(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }

    private static String details(JsonNode body) {
        StringBuilder details = new StringBuilder();
        for (JsonNode error : body.path("errors")) {
            details.append(details.isEmpty() ? ": " : "; ");
            details.append(error.path("message")
                    .asString(error.path("field").asString("") + " "
                            + error.path("code").asString("")));
        }
        return details.toString();
    }

    private static PullRequest pullRequest(JsonNode node) {
        return new PullRequest(
                node.path("number").asInt(),
                node.path("html_url").asString(),
                node.at("/head/ref").asString(""),
                node.at("/base/ref").asString(""));
    }
}
