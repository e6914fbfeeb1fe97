package dev.agentry.benchmark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load through the whole platform: {@code concurrency} clients each submit an echo task, poll it until it
 * reaches a terminal state, and take the next one. Throughput is terminal tasks per second of wall time; latency is
 * submit to the first poll that sees the terminal state, so it is precise to one poll interval.
 */
final class EndToEndBenchmark {

    /** The outcome of one run. */
    record Result(
            int planned,
            Latencies.Summary latencies,
            Map<String, Long> terminalCounts,
            long submitErrors,
            long pollErrors,
            long timedOut,
            boolean deadlineReached,
            Duration elapsed) {

        long finished() {
            return terminalCounts.values().stream().mapToLong(Long::longValue).sum();
        }

        double tasksPerSecond() {
            return elapsed.isZero() ? 0 : finished() / (elapsed.toNanos() / 1e9);
        }
    }

    private final TasksClient client;
    private final int tasks;
    private final int concurrency;
    private final Duration pollInterval;
    private final Duration taskTimeout;
    private final Duration maxTime;

    EndToEndBenchmark(
            TasksClient client,
            int tasks,
            int concurrency,
            Duration pollInterval,
            Duration taskTimeout,
            Duration maxTime) {
        this.client = client;
        this.tasks = tasks;
        this.concurrency = concurrency;
        this.pollInterval = pollInterval;
        this.taskTimeout = taskTimeout;
        this.maxTime = maxTime;
    }

    Result run(PrintStream progress) {
        progress.printf(
                "Running %d echo tasks end to end, %d at a time, polling every %s...%n",
                tasks, concurrency, Durations.human(pollInterval));
        Latencies latencies = new Latencies(tasks);
        Map<String, LongAdder> terminal = new ConcurrentHashMap<>();
        LongAdder submitErrors = new LongAdder();
        LongAdder pollErrors = new LongAdder();
        LongAdder timedOut = new LongAdder();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        long deadline = started + maxTime.toNanos();

        ScheduledExecutorService reporter =
                Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        reporter.scheduleAtFixedRate(
                () -> progress.printf(
                        "  %d finished, %d submitted%n", latencies.summary().count(), Math.min(next.get(), tasks)),
                5,
                5,
                TimeUnit.SECONDS);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.execute(() -> {
                    while (next.getAndIncrement() < tasks && System.nanoTime() < deadline) {
                        runOne(latencies, terminal, submitErrors, pollErrors, timedOut, deadline);
                    }
                });
            }
        } finally {
            reporter.shutdownNow();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        Map<String, Long> counts = new TreeMap<>();
        terminal.forEach((status, adder) -> counts.put(status, adder.sum()));
        return new Result(
                tasks,
                latencies.summary(),
                counts,
                submitErrors.sum(),
                pollErrors.sum(),
                timedOut.sum(),
                System.nanoTime() >= deadline,
                elapsed);
    }

    private void runOne(
            Latencies latencies,
            Map<String, LongAdder> terminal,
            LongAdder submitErrors,
            LongAdder pollErrors,
            LongAdder timedOut,
            long deadline) {
        long submitted = System.nanoTime();
        try {
            TasksClient.Submission submission = client.submit();
            String id = submission.taskId();
            if (!submission.accepted() || id == null) {
                submitErrors.increment();
                return;
            }
            long giveUp = Math.min(submitted + taskTimeout.toNanos(), deadline);
            while (System.nanoTime() < giveUp) {
                Thread.sleep(pollInterval);
                String status;
                try {
                    status = client.status(id);
                } catch (java.io.IOException e) {
                    pollErrors.increment();
                    continue;
                }
                if (status == null) {
                    pollErrors.increment();
                } else if (TasksClient.TERMINAL.contains(status)) {
                    latencies.record(System.nanoTime() - submitted);
                    terminal.computeIfAbsent(status, s -> new LongAdder()).increment();
                    return;
                }
            }
            timedOut.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            submitErrors.increment();
        }
    }
}
