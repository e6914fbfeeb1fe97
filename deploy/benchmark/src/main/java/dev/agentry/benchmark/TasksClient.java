package dev.agentry.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API calls the benchmarks make: submit tasks, read a task's status, open its stream, read metrics, post any
 * JSON body (profiles, missions).
 */
final class TasksClient {

    static final Set<String> TERMINAL = Set.of("completed", "failed", "pr_created", "cancelled");

    private static final String ECHO_TASK = """
            {"repo_url":"https://example.invalid/bench.git","prompt":"bench","config":{"cli":"echo"}}""";

    private final URI base;
    private final URI tasks;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.shared();

    /** The result of one submit: the HTTP status and, on 201, the new task's id. */
    record Submission(int status, @Nullable String taskId) {
        boolean accepted() {
            return status == 201 && taskId != null;
        }
    }

    TasksClient(URI baseUrl, String token, Duration timeout) {
        requireLoopback(baseUrl);
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.base = URI.create(base);
        this.tasks = URI.create(base + "/api/v1/tasks");
        this.authorization = "Bearer " + token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    Submission submit() throws IOException, InterruptedException {
        return submit(ECHO_TASK);
    }

    Submission submit(String task) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(tasks)
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(task))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 201) {
            return new Submission(response.statusCode(), null);
        }
        JsonNode body = json.readTree(response.body());
        return new Submission(201, body.path("id").asString(null));
    }

    /** What {@link #submitAll} did: the ids of the accepted tasks, and how many submissions failed. */
    record Submitted(List<String> taskIds, long errors) {}

    /**
     * Submits {@code count} copies of {@code task} from {@code concurrency} clients at once, as fast as the API takes
     * them, stopping at {@code deadlineNanos} ({@link System#nanoTime}).
     */
    Submitted submitAll(String task, int count, int concurrency, long deadlineNanos) {
        AtomicInteger next = new AtomicInteger();
        Queue<String> ids = new ConcurrentLinkedQueue<>();
        LongAdder errors = new LongAdder();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.execute(() -> {
                    while (next.getAndIncrement() < count && System.nanoTime() < deadlineNanos) {
                        try {
                            Submission submission = submit(task);
                            if (submission.accepted()) {
                                ids.add(submission.taskId());
                            } else {
                                errors.increment();
                            }
                        } catch (IOException | InterruptedException e) {
                            errors.increment();
                        }
                    }
                });
            }
        }
        return new Submitted(List.copyOf(ids), errors.sum());
    }

    /** POSTs a JSON body to {@code path}; the status and the parsed body (null when it is not JSON). */
    record Answer(int status, @Nullable JsonNode body) {}

    Answer post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode parsed;
        try {
            parsed = json.readTree(response.body());
        } catch (tools.jackson.core.JacksonException e) {
            parsed = null;
        }
        return new Answer(response.statusCode(), parsed);
    }

    /** The tenant of this client's token ({@code GET /api/v1/auth/me}). */
    String tenantId() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/me"))
                .timeout(timeout)
                .header("Authorization", authorization)
                .GET()
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        String tenant = response.statusCode() == 200
                ? json.readTree(response.body()).path("tenant_id").asString(null)
                : null;
        if (tenant == null) {
            throw new IOException("GET /api/v1/auth/me answered " + response.statusCode() + " without a tenant_id");
        }
        return tenant;
    }

    /** Opens a task's SSE stream; the caller reads its lines. */
    HttpResponse<java.util.stream.Stream<String>> stream(String taskId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tasks + "/" + taskId + "/stream"))
                .header("Authorization", authorization)
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofLines());
    }

    /** The API's Prometheus text, for its own view of heap and open streams. */
    String metrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .timeout(timeout)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The task's status, or null when the API did not answer 200. */
    @Nullable
    String status(String taskId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tasks + "/" + taskId))
                .timeout(timeout)
                .header("Authorization", authorization)
                .GET()
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            return null;
        }
        return json.readTree(response.body()).path("status").asString(null);
    }

    /** A load generator aimed at someone else's server is an attack; this one only talks to this machine. */
    static void requireLoopback(URI url) {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--url must be an http(s) URL, not " + url);
        }
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException("--url has no host: " + url);
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException(
                            "The benchmark only runs against this machine (loopback), not " + host);
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Unknown host in --url: " + host, e);
        }
    }
}
