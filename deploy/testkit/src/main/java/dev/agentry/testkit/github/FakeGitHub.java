package dev.agentry.testkit.github;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's REST API for pull requests, as far as Agentry uses it, under a GitHub Enterprise style base path
 * ({@code http://127.0.0.1:<port>/api/v3}): {@code POST /repos/{owner}/{repo}/pulls} and
 * {@code GET /repos/{owner}/{repo}/pulls?head=owner:branch&state=open}. It checks the path, the
 * {@code Authorization} header ({@code Bearer} or {@code token}) against the repository's token, and the JSON
 * body, and answers with GitHub's documented shapes: 201 with the pull request, 401 {@code Bad credentials},
 * 404 {@code Not Found}, 422 {@code Validation Failed} (missing fields, unknown head branch, a pull request already
 * exists). Tests can queue raw answers (rate limits) for the next requests.
 */
public final class FakeGitHub implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern PULLS = Pattern.compile("^/api/v3/repos/([^/]+)/([^/]+)/pulls$");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, List<ObjectNode>> pulls = new HashMap<>();
    private final Deque<Answer> scripted = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private BiPredicate<String, String> headExists = (repository, branch) -> true;
    private int nextNumber = 1;

    /** A request as it arrived. {@code body} is null for a GET or a body that is not JSON. */
    public record Request(
            String method,
            String path,
            @Nullable String query,
            @Nullable String authorization,
            @Nullable JsonNode body) {}

    private FakeGitHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeGitHub start() {
        try {
            return new FakeGitHub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code agentry.worker.github.base-url} should be: {@code http://127.0.0.1:<port>/api/v3}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v3";
    }

    /** Makes {@code owner/repo} exist, reachable with {@code token}. */
    public synchronized FakeGitHub repository(String owner, String repo, String token) {
        tokens.put(owner + "/" + repo, token);
        pulls.putIfAbsent(owner + "/" + repo, new ArrayList<>());
        return this;
    }

    /**
     * How the fake learns whether a branch exists (GitHub refuses a pull request whose head or base it does not
     * have): {@code (owner/repo, branch) -> exists}. By default every branch exists.
     */
    public synchronized FakeGitHub headExistsWhen(BiPredicate<String, String> predicate) {
        this.headExists = predicate;
        return this;
    }

    /** The next request gets this answer instead of the normal one, whatever it asks. */
    public synchronized FakeGitHub answerNext(int status, Map<String, String> headers, String body) {
        scripted.add(new Answer(status, Map.copyOf(headers), body));
        return this;
    }

    /** The next request is refused by the primary rate limit: 403, remaining 0, reset in {@code resetIn} seconds. */
    public FakeGitHub primaryRateLimitNext(long resetInSeconds) {
        return answerNext(
                403,
                Map.of(
                        "x-ratelimit-limit", "5000",
                        "x-ratelimit-remaining", "0",
                        "x-ratelimit-used", "5000",
                        "x-ratelimit-reset", Long.toString(Instant.now().getEpochSecond() + resetInSeconds)),
                Answer.message("API rate limit exceeded for user ID 1."));
    }

    /** The next request is refused by a secondary rate limit: {@code status} (403 or 429) with Retry-After. */
    public FakeGitHub secondaryRateLimitNext(int status, long retryAfterSeconds) {
        return answerNext(
                status,
                Map.of("retry-after", Long.toString(retryAfterSeconds)),
                Answer.message(
                        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The pull requests of a repository, as GitHub would list them. */
    public synchronized List<JsonNode> pullRequests(String owner, String repo) {
        return List.copyOf(pulls.getOrDefault(owner + "/" + repo, List.of()));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = null;
            if (raw.length > 0) {
                try {
                    body = JSON.readTree(raw);
                } catch (RuntimeException e) {
                    body = null;
                }
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(),
                    authorization,
                    body));
            Answer answer = answer(exchange, authorization, raw.length > 0, body);
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private synchronized Answer answer(
            HttpExchange exchange, @Nullable String authorization, boolean hasBody, @Nullable JsonNode body) {
        Answer next = scripted.poll();
        if (next != null) {
            return next;
        }
        Matcher path = PULLS.matcher(exchange.getRequestURI().getPath());
        if (!path.matches()) {
            return Answer.error(404, "Not Found");
        }
        String repository = path.group(1) + "/" + path.group(2);
        String token = tokens.get(repository);
        String presented = presentedToken(authorization);
        if (presented == null || (token != null && !token.equals(presented))) {
            return Answer.error(401, "Bad credentials");
        }
        if (token == null) {
            return Answer.error(404, "Not Found");
        }
        return switch (exchange.getRequestMethod()) {
            case "POST" -> create(path.group(1), repository, hasBody, body);
            case "GET" -> list(repository, query(exchange.getRequestURI().getRawQuery()));
            default -> Answer.error(404, "Not Found");
        };
    }

    private Answer create(String owner, String repository, boolean hasBody, @Nullable JsonNode body) {
        if (!hasBody || body == null || !body.isObject()) {
            return Answer.error(400, "Problems parsing JSON");
        }
        for (String field : List.of("title", "head", "base")) {
            if (!body.path(field).isString() || body.path(field).asString().isBlank()) {
                return Answer.validationFailed("missing_field", field, null);
            }
        }
        String head = body.get("head").asString();
        String branch = head.contains(":") ? head.substring(head.indexOf(':') + 1) : head;
        if (!headExists.test(repository, branch)) {
            return Answer.validationFailed("invalid", "head", null);
        }
        if (!headExists.test(repository, body.get("base").asString())) {
            return Answer.validationFailed("invalid", "base", null);
        }
        for (ObjectNode existing : pulls.get(repository)) {
            if (existing.at("/head/ref").asString().equals(branch)) {
                return Answer.validationFailed(
                        "custom", null, "A pull request already exists for " + owner + ":" + branch + ".");
            }
        }
        int number = nextNumber++;
        ObjectNode pull = JSON.createObjectNode();
        pull.put("id", 1000L + number);
        pull.put("number", number);
        pull.put("state", "open");
        pull.put("url", baseUrl() + "/repos/" + repository + "/pulls/" + number);
        pull.put(
                "html_url", "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repository + "/pull/" + number);
        pull.put("title", body.get("title").asString());
        pull.put("body", body.path("body").isString() ? body.get("body").asString() : null);
        pull.putObject("head").put("ref", branch).put("label", owner + ":" + branch);
        pull.putObject("base").put("ref", body.get("base").asString());
        pull.put("draft", body.path("draft").asBoolean(false));
        pulls.get(repository).add(pull);
        return new Answer(201, Map.of("Location", pull.get("url").asString()), JSON.writeValueAsString(pull));
    }

    private Answer list(String repository, Map<String, String> query) {
        String head = query.get("head");
        String state = query.getOrDefault("state", "open");
        ArrayNode result = JSON.createArrayNode();
        for (ObjectNode pull : pulls.get(repository)) {
            boolean headMatches =
                    head == null || pull.at("/head/label").asString().equals(head);
            boolean stateMatches =
                    state.equals("all") || pull.get("state").asString().equals(state);
            if (headMatches && stateMatches) {
                result.add(pull);
            }
        }
        return new Answer(200, Map.of(), JSON.writeValueAsString(result));
    }

    private static @Nullable String presentedToken(@Nullable String authorization) {
        if (authorization == null) {
            return null;
        }
        for (String scheme : List.of("Bearer ", "token ")) {
            if (authorization.startsWith(scheme)) {
                return authorization.substring(scheme.length()).strip();
            }
        }
        return null;
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
