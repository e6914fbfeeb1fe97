package dev.agentry.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Seed 002's bar, "API overhead < 100 ms per request (excluding mission execution time)": open-loop {@code POST
 * /api/v1/execute} at a fixed rate on a profile whose runtime is {@code echo}. The echo runtime answers the mission
 * as its output without starting a process or touching a workspace, so a mission's whole latency (HTTP, outbox,
 * Kafka to a worker, the worker's events back, projection, the waiting request woken) is the platform's overhead:
 * an upper bound on it, the runtime's own microseconds included.
 */
final class MissionsBenchmark {

    /** The profile the missions run with; created (or found) before the run. */
    static final String PROFILE = "bench-echo";

    /** The outcome a measured mission has: answered in time, {@code completed}. */
    static final String COMPLETED = "200 completed";

    private final TasksClient client;

    MissionsBenchmark(TasksClient client) {
        this.client = client;
    }

    /** Makes sure the tenant has the echo profile; a profile of that name that runs something else is refused. */
    void ensureProfile() throws IOException, InterruptedException {
        TasksClient.Answer created = client.post(
                "/api/v1/profiles",
                "{\"name\":\"" + PROFILE + "\",\"runtime\":\"echo\",\"description\":\"benchmark: no work\"}");
        if (created.status() == 200 || created.status() == 201) {
            return;
        }
        if (created.status() != 409) {
            throw new IOException("POST /api/v1/profiles answered " + created.status() + ": " + created.body());
        }
    }

    /** One mission: its outcome is the HTTP status, with the mission's status on a 200. */
    String execute() throws IOException, InterruptedException {
        TasksClient.Answer answer =
                client.post("/api/v1/execute", "{\"mission\":\"bench\",\"profile\":\"" + PROFILE + "\"}");
        @Nullable JsonNode body = answer.body();
        if (answer.status() != 200 || body == null) {
            return Integer.toString(answer.status());
        }
        return "200 " + body.path("status").asString("?");
    }

    SubmitBenchmark.Result run(int rate, Duration duration, Duration warmup, int maxInFlight, PrintStream out)
            throws IOException, InterruptedException {
        ensureProfile();
        return new SubmitBenchmark(this::execute, COMPLETED, "missions", rate, duration, warmup, maxInFlight).run(out);
    }
}
