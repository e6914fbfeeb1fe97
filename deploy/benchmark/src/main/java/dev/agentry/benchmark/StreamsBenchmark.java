package dev.agentry.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Many concurrent SSE streams on one API instance while tasks run: each task prints a line every interval
 * through the {@code command} runtime, and every stream measures, for each live line (not history replayed at
 * connect), the time from the worker observing it ({@code ts}) to the client receiving it. The API's own /metrics gives its heap and stream count.
 *
 * <p>Needs a platform whose workers run the command runtime as {@code sh -c {prompt}} (see the README) and git.
 */
final class StreamsBenchmark {

    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+]+)");
    private static final Pattern CONNECTIONS = Pattern.compile("agentry_sse_connections(?:\\{[^}]*})? ([0-9.E+]+)");

    private final TasksClient client;
    private final int streams;
    private final int tasks;
    private final int lines;
    private final Duration interval;
    private final Duration maxTime;
    private final Duration settle;
    private final JsonMapper json = JsonMapper.shared();

    StreamsBenchmark(
            TasksClient client,
            int streams,
            int tasks,
            int lines,
            Duration interval,
            Duration maxTime,
            Duration settle) {
        this.client = client;
        this.streams = streams;
        this.tasks = tasks;
        this.lines = lines;
        this.interval = interval;
        this.maxTime = maxTime;
        this.settle = settle;
    }

    record Result(
            int opened,
            int completed,
            long events,
            Latencies.Summary fanOut,
            long maxConnections,
            long maxHeapBytes,
            Duration elapsed) {}

    Result run(PrintStream out) throws IOException, InterruptedException {
        String repo = repository();
        // The lines start after every stream had time to connect, so the figures are fan-out, not a connect storm.
        String prompt = "sleep " + settle.toSeconds() + "; i=0; while [ $i -lt " + lines
                + " ]; do echo tick $i; i=$((i+1)); sleep " + (interval.toMillis() / 1000.0) + "; done";
        String body = json.writeValueAsString(json.createObjectNode()
                .put("repo_url", repo)
                .put("prompt", prompt)
                .set("config", json.createObjectNode().put("cli", "command").put("timeout_seconds", 600)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            TasksClient.Submission submission = client.submit(body);
            if (!submission.accepted()) {
                throw new IOException("submit answered " + submission.status());
            }
            ids.add(submission.taskId());
        }
        out.printf(
                "submitted %d command tasks of %d lines every %s; opening %d streams%n",
                tasks, lines, interval, streams);
        Latencies fanOut = new Latencies(streams * (lines + 8));
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        AtomicLong events = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(streams);
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            String id = ids.get(i % ids.size());
            Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<Stream<String>> response = client.stream(id);
                    if (response.statusCode() != 200) {
                        return;
                    }
                    opened.incrementAndGet();
                    // Events that happened before this stream was connected arrive as history; only live ones
                    // measure fan-out.
                    Instant connectedAt = Instant.now();
                    String event = "message";
                    for (String line : (Iterable<String>) response.body()::iterator) {
                        if (line.startsWith("event:")) {
                            event = line.substring(6).strip();
                        } else if (line.startsWith("data:")) {
                            if (event.equals("done")) {
                                completed.incrementAndGet();
                                break;
                            }
                            if (event.equals("message")) {
                                JsonNode data = json.readTree(line.substring(5).strip());
                                if (data.path("type").asString("").equals("cli")) {
                                    long lag = Duration.between(
                                                    Instant.parse(data.get("ts").asString()), Instant.now())
                                            .toNanos();
                                    fanOut.record(Math.max(0, lag));
                                    events.incrementAndGet();
                                }
                            }
                        } else if (line.isEmpty()) {
                            event = "message";
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // counted as not completed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            });
        }
        long maxConnections = 0;
        long maxHeap = 0;
        long deadline = start + maxTime.toNanos();
        while (!finished.await(1, TimeUnit.SECONDS) && System.nanoTime() < deadline) {
            String metrics = client.metrics();
            maxConnections = Math.max(maxConnections, (long) sum(CONNECTIONS, metrics));
            maxHeap = Math.max(maxHeap, (long) sum(HEAP, metrics));
        }
        return new Result(
                opened.get(),
                completed.get(),
                events.get(),
                fanOut.summary(),
                maxConnections,
                maxHeap,
                Duration.ofNanos(System.nanoTime() - start));
    }

    private static double sum(Pattern pattern, String metrics) {
        double total = 0;
        Matcher m = pattern.matcher(metrics);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    /** A one-commit bare repository on this machine for the tasks to clone (the local platform allows file://). */
    private static String repository() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("agentry-bench-repo");
        Path work = dir.resolve("work");
        Path bare = dir.resolve("bench.git");
        Files.createDirectories(work);
        Files.writeString(work.resolve("README.md"), "benchmark\n");
        git(work, "init", "-q", "-b", "main");
        git(work, "add", ".");
        git(work, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", "init");
        git(dir, "clone", "-q", "--bare", work.toString(), bare.toString());
        return bare.toUri().toString();
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed");
        }
    }
}
