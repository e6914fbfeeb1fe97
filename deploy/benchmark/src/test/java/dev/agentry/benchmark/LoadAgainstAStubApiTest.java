package dev.agentry.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator against a local server that speaks the tasks API: accepts echo tasks, completes them. */
class LoadAgainstAStubApiTest {

    private static final String TOKEN = "test-token";

    private HttpServer server;
    private final Set<String> tasks = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> polls = new ConcurrentHashMap<>();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final Set<String> profiles = ConcurrentHashMap.newKeySet();
    private final AtomicInteger missions = new AtomicInteger();
    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @BeforeEach
    void startStubApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/api/v1/tasks", this::handle);
        server.createContext("/api/v1/profiles", this::handleProfile);
        server.createContext("/api/v1/execute", this::handleExecute);
        server.start();
    }

    @AfterEach
    void stopStubApi() {
        server.stop(0);
    }

    @Test
    void submitsAtTheRequestedRateAndMeasuresEveryAcceptedTask() throws InterruptedException {
        SubmitBenchmark benchmark = new SubmitBenchmark(client(), 200, Duration.ofSeconds(1), Duration.ZERO, 100);

        SubmitBenchmark.Result result = benchmark.run(quiet);

        assertThat(result.planned()).isEqualTo(200);
        assertThat(result.accepted()).isEqualTo(200);
        assertThat(result.errors()).isZero();
        assertThat(result.latencies().count()).isEqualTo(200);
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThat(tasks).hasSize(200);
        assertThat(unauthorized).hasValue(0);
    }

    @Test
    void followsEveryTaskToItsTerminalState() {
        EndToEndBenchmark benchmark = new EndToEndBenchmark(
                client(), 50, 8, Duration.ofMillis(10), Duration.ofSeconds(10), Duration.ofMinutes(1));

        EndToEndBenchmark.Result result = benchmark.run(quiet);

        assertThat(result.finished()).isEqualTo(50);
        assertThat(result.terminalCounts()).containsExactly(Map.entry("completed", 50L));
        assertThat(result.latencies().count()).isEqualTo(50);
        assertThat(result.submitErrors() + result.pollErrors() + result.timedOut())
                .isZero();
        assertThat(polls.values()).allMatch(count -> count >= 2);
    }

    @Test
    void executesMissionsOnTheEchoProfileAtTheRequestedRateAndCountsTheirOutcomes() throws Exception {
        profiles.add(MissionsBenchmark.PROFILE); // a second run finds the profile there: 409 is fine

        SubmitBenchmark.Result result =
                new MissionsBenchmark(client()).run(100, Duration.ofSeconds(1), Duration.ZERO, 50, quiet);

        assertThat(result.planned()).isEqualTo(100);
        assertThat(missions).hasValue(100);
        // The stub answers every tenth mission in_progress: counted apart, and not measured.
        assertThat(result.statusCounts())
                .containsOnly(Map.entry("200 completed", 90L), Map.entry("200 in_progress", 10L));
        assertThat(result.accepted()).isEqualTo(90);
        assertThat(result.latencies().count()).isEqualTo(90);
        assertThat(unauthorized).hasValue(0);
    }

    @Test
    void refusesToLoadAServerOnAnotherMachine() {
        assertThatThrownBy(() -> new TasksClient(URI.create("http://192.0.2.10:8080"), TOKEN, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    private TasksClient client() {
        return new TasksClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), TOKEN, Duration.ofSeconds(10));
    }

    /** POST creates a pending task; GET answers running on the first poll and completed afterwards. */
    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST") && path.equals("/api/v1/tasks")) {
                exchange.getRequestBody().readAllBytes();
                String id = UUID.randomUUID().toString();
                tasks.add(id);
                respond(exchange, 201, "{\"id\":\"" + id + "\",\"status\":\"pending\"}");
            } else if (exchange.getRequestMethod().equals("GET")) {
                String id = path.substring(path.lastIndexOf('/') + 1);
                if (!tasks.contains(id)) {
                    respond(exchange, 404, "{\"error\":\"not found\"}");
                    return;
                }
                int seen = polls.merge(id, 1, Integer::sum);
                respond(
                        exchange,
                        200,
                        "{\"id\":\"" + id + "\",\"status\":\"" + (seen < 2 ? "running" : "completed") + "\"}");
            } else {
                exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private void handleProfile(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean echo = body.contains("\"runtime\":\"echo\"");
            boolean created = echo && profiles.add(MissionsBenchmark.PROFILE);
            respond(exchange, !echo ? 422 : created ? 201 : 409, "{\"detail\":\"\"}");
        }
    }

    private void handleExecute(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!body.contains("\"profile\":\"" + MissionsBenchmark.PROFILE + "\"")) {
                respond(exchange, 404, "{\"detail\":\"Profile not found\"}");
                return;
            }
            String status = missions.incrementAndGet() % 10 == 0 ? "in_progress" : "completed";
            respond(
                    exchange,
                    200,
                    "{\"session_id\":\"" + UUID.randomUUID() + "\",\"status\":\"" + status
                            + "\",\"message\":\"bench\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
