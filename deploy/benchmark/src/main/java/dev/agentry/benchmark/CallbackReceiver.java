package dev.agentry.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver on loopback that answers 200 after {@code replyDelay}, as a real integrator's endpoint would
 * after doing its work. It measures each first receipt of a {@code webhook-id} against the payload's
 * {@code finished_at} (the terminal event's time: same machine, same clock) and counts deliveries per second between
 * the first receipt and the last; a repeated {@code webhook-id} is counted as a duplicate, not measured.
 */
final class CallbackReceiver implements AutoCloseable {

    private final JsonMapper json = JsonMapper.shared();
    private final Duration replyDelay;
    private final Latencies latencies;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final LongAdder duplicates = new LongAdder();
    private final AtomicLong firstReceipt = new AtomicLong();
    private final AtomicLong lastReceipt = new AtomicLong();
    private final HttpServer server;

    CallbackReceiver(Duration replyDelay, int expected) throws IOException {
        this.replyDelay = replyDelay;
        this.latencies = new Latencies(expected);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", this::receive);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    int received() {
        return seen.size();
    }

    long duplicates() {
        return duplicates.sum();
    }

    Latencies.Summary eventToReceipt() {
        return latencies.summary();
    }

    /** Distinct deliveries per second from the first receipt to the last. */
    double deliveriesPerSecond() {
        double window = (lastReceipt.get() - firstReceipt.get()) / 1e9;
        return window <= 0 ? seen.size() : seen.size() / window;
    }

    /** Waits until {@code count} distinct deliveries arrived or {@code deadlineNanos} (System.nanoTime) passed. */
    void awaitReceived(int count, long deadlineNanos) throws InterruptedException {
        while (seen.size() < count && System.nanoTime() < deadlineNanos) {
            Thread.sleep(100);
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
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

    /** Lets the requests under way get their answers (a cut one would be retried and count against the platform). */
    @Override
    public void close() {
        server.stop((int) Math.max(1, replyDelay.toSeconds() + 1));
    }
}
