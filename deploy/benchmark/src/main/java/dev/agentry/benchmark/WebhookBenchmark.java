package dev.agentry.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhook delivery under load: a receiver on loopback that answers 200 after {@code replyDelay}, echo tasks whose
 * {@code callback_url} points at it, and two measures: terminal event to receipt ({@code finished_at} in the payload,
 * the worker's event time, to the moment the receiver got the request; same machine, same clock) and deliveries per
 * second while they arrive. Duplicates (same {@code webhook-id}) are counted, not measured. The scheduler must allow
 * loopback targets ({@code agentry.scheduler.webhooks.allowed-networks=127.0.0.0/8}) and have the sealing keys.
 */
final class WebhookBenchmark {

    record Result(
            int accepted,
            int received,
            long duplicates,
            long submitErrors,
            Latencies.Summary eventToReceipt,
            double deliveriesPerSecond,
            Duration elapsed) {}

    private final TasksClient client;
    private final int tasks;
    private final int concurrency;
    private final Duration replyDelay;
    private final Duration maxTime;
    private final JsonMapper json = JsonMapper.shared();

    WebhookBenchmark(TasksClient client, int tasks, int concurrency, Duration replyDelay, Duration maxTime) {
        this.client = client;
        this.tasks = tasks;
        this.concurrency = concurrency;
        this.replyDelay = replyDelay;
        this.maxTime = maxTime;
    }

    Result run(PrintStream progress) throws IOException, InterruptedException {
        Latencies latencies = new Latencies(tasks);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        LongAdder duplicates = new LongAdder();
        AtomicLong firstReceipt = new AtomicLong();
        AtomicLong lastReceipt = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext(
                "/hook", exchange -> receive(exchange, latencies, seen, duplicates, firstReceipt, lastReceipt));
        receiver.start();
        String task = """
                {"repo_url":"https://example.invalid/bench.git","prompt":"webhook bench","config":{"cli":"echo"},\
                "callback_url":"http://127.0.0.1:%d/hook"}""".formatted(receiver.getAddress().getPort());
        progress.printf(
                "Submitting %d echo tasks (%d at a time) with a callback to a receiver answering after %s...%n",
                tasks, concurrency, Durations.human(replyDelay));
        long started = System.nanoTime();
        long deadline = started + maxTime.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        LongAdder submitErrors = new LongAdder();
        try {
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < concurrency; c++) {
                    clients.execute(() -> {
                        while (next.getAndIncrement() < tasks && System.nanoTime() < deadline) {
                            try {
                                if (client.submit(task).accepted()) {
                                    accepted.incrementAndGet();
                                } else {
                                    submitErrors.increment();
                                }
                            } catch (IOException | InterruptedException e) {
                                submitErrors.increment();
                            }
                        }
                    });
                }
            }
            while (seen.size() < accepted.get() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            receiver.stop(0);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        double window = (lastReceipt.get() - firstReceipt.get()) / 1e9;
        double rate = window <= 0 ? seen.size() : seen.size() / window;
        return new Result(
                accepted.get(), seen.size(), duplicates.sum(), submitErrors.sum(), latencies.summary(), rate, elapsed);
    }

    private void receive(
            HttpExchange exchange,
            Latencies latencies,
            Set<String> seen,
            LongAdder duplicates,
            AtomicLong firstReceipt,
            AtomicLong lastReceipt)
            throws IOException {
        try (exchange) {
            Instant at = Instant.now();
            long now = System.nanoTime();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null && seen.add(id)) {
                JsonNode payload = json.readTree(body);
                String finished = payload.path("finished_at").asString(null);
                if (finished != null) {
                    latencies.record(
                            Duration.between(Instant.parse(finished), at).toNanos());
                }
                firstReceipt.compareAndSet(0, now);
                lastReceipt.accumulateAndGet(now, Math::max);
            } else {
                duplicates.increment();
            }
            if (!replyDelay.isZero()) {
                try {
                    Thread.sleep(replyDelay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }
}
