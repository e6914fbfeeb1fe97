package dev.agentry.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Webhook delivery under load, the whole platform: echo tasks whose {@code callback_url} points at a
 * {@link CallbackReceiver}, measured from the worker's terminal event to receipt. The rate of deliveries is bounded by
 * the rate at which the workers finish tasks; {@link WebhookPipelineBenchmark} measures delivery alone. The scheduler
 * must allow loopback targets ({@code agentry.scheduler.webhooks.allowed-networks=127.0.0.0/8}) and have the sealing
 * keys.
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

    WebhookBenchmark(TasksClient client, int tasks, int concurrency, Duration replyDelay, Duration maxTime) {
        this.client = client;
        this.tasks = tasks;
        this.concurrency = concurrency;
        this.replyDelay = replyDelay;
        this.maxTime = maxTime;
    }

    Result run(PrintStream progress) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + maxTime.toNanos();
        try (CallbackReceiver receiver = new CallbackReceiver(replyDelay, tasks)) {
            String task = """
                    {"repo_url":"https://example.invalid/bench.git","prompt":"webhook bench","config":{"cli":"echo"},\
                    "callback_url":"%s"}""".formatted(receiver.url());
            progress.printf(
                    "Submitting %d echo tasks (%d at a time) with a callback to a receiver answering after %s...%n",
                    tasks, concurrency, Durations.human(replyDelay));
            TasksClient.Submitted submitted = client.submitAll(task, tasks, concurrency, deadline);
            int accepted = submitted.taskIds().size();
            receiver.awaitReceived(accepted, deadline);
            return new Result(
                    accepted,
                    receiver.received(),
                    receiver.duplicates(),
                    submitted.errors(),
                    receiver.eventToReceipt(),
                    receiver.deliveriesPerSecond(),
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
