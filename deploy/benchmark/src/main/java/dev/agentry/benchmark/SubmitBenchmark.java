package dev.agentry.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Open-loop load: request i is due at {@code start + i / rate}, whether or not earlier ones have answered, and its
 * latency is measured from that due time. A server that stalls therefore shows the stall in every request that
 * should have been sent meanwhile (no coordinated omission). By default each request submits an echo task; {@link
 * Call} makes it any request (the missions benchmark's {@code POST /api/v1/execute}).
 */
final class SubmitBenchmark {

    /** One request; answers the outcome it is counted under (its HTTP status, or a finer label). */
    interface Call {
        String send() throws IOException, InterruptedException;
    }

    /** The outcome of one run; {@code success} is the outcome whose latencies are measured. */
    record Result(
            int planned,
            String success,
            Latencies.Summary latencies,
            Map<String, Long> statusCounts,
            long failures,
            Duration elapsed,
            Duration maxSendLag) {

        long accepted() {
            return statusCounts.getOrDefault(success, 0L);
        }

        long errors() {
            return planned - accepted();
        }
    }

    private final Call call;
    private final String success;
    private final String what;
    private final int rate;
    private final Duration duration;
    private final Duration warmup;
    private final int maxInFlight;

    SubmitBenchmark(TasksClient client, int rate, Duration duration, Duration warmup, int maxInFlight) {
        this(
                () -> Integer.toString(client.submit().status()),
                "201",
                "echo tasks",
                rate,
                duration,
                warmup,
                maxInFlight);
    }

    SubmitBenchmark(
            Call call, String success, String what, int rate, Duration duration, Duration warmup, int maxInFlight) {
        this.call = call;
        this.success = success;
        this.what = what;
        this.rate = rate;
        this.duration = duration;
        this.warmup = warmup;
        this.maxInFlight = maxInFlight;
    }

    Result run(PrintStream progress) throws InterruptedException {
        if (!warmup.isZero()) {
            progress.printf("Warming up for %s at %d/s...%n", Durations.human(warmup), rate);
            fire(count(warmup), null, new ConcurrentHashMap<>(), new LongAdder());
        }
        int planned = count(duration);
        progress.printf("Sending %d %s at %d/s for %s...%n", planned, what, rate, Durations.human(duration));
        Latencies latencies = new Latencies(planned);
        Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        LongAdder failures = new LongAdder();
        long started = System.nanoTime();
        Duration lag = fire(planned, latencies, statuses, failures);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Map<String, Long> counts = new TreeMap<>();
        statuses.forEach((status, adder) -> counts.put(status, adder.sum()));
        return new Result(planned, success, latencies.summary(), counts, failures.sum(), elapsed, lag);
    }

    private int count(Duration d) {
        return (int) Math.max(1, Math.round(rate * (d.toNanos() / 1e9)));
    }

    /** Sends {@code n} requests on schedule and waits for all answers; returns how late the worst send was. */
    private Duration fire(int n, @Nullable Latencies latencies, Map<String, LongAdder> statuses, LongAdder failures)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(maxInFlight);
        long start = System.nanoTime() + 10_000_000L;
        long worstLag = 0;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long due = start + (long) (i * 1e9 / rate);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                inFlight.acquire();
                worstLag = Math.max(worstLag, System.nanoTime() - due);
                executor.execute(() -> {
                    try {
                        String outcome = call.send();
                        long latency = System.nanoTime() - due;
                        statuses.computeIfAbsent(outcome, s -> new LongAdder()).increment();
                        if (outcome.equals(success) && latencies != null) {
                            latencies.record(latency);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failures.increment();
                    } catch (Exception e) {
                        failures.increment();
                    } finally {
                        inFlight.release();
                    }
                });
            }
        }
        return Duration.ofNanos(worstLag);
    }
}
