package dev.agentry.benchmark;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.Usage;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Webhook delivery alone, at a fixed rate of terminal events, so that its capacity is measured rather than the
 * workers'. The platform runs without a worker ({@code AGENTRY_SERVICES=api,scheduler deploy/local/run}): this creates
 * {@code tasks} tasks with a {@code callback_url} through the API (they stay queued), then publishes a
 * {@code task.completed} for each on {@code agentry.task.events} at {@code rate} per second, in the platform's own
 * envelope, as a fleet of workers would. The API projects them and the scheduler delivers them to a
 * {@link CallbackReceiver}; measured: event time to receipt, and deliveries per second.
 */
final class WebhookPipelineBenchmark {

    record Result(
            int tasks,
            int published,
            int received,
            long duplicates,
            long submitErrors,
            double publishedPerSecond,
            Latencies.Summary eventToReceipt,
            double deliveriesPerSecond) {}

    private final TasksClient client;
    private final String bootstrapServers;
    private final int tasks;
    private final int rate;
    private final int concurrency;
    private final Duration replyDelay;
    private final Duration maxTime;
    private final MessageCodec codec = new MessageCodec();

    WebhookPipelineBenchmark(
            TasksClient client,
            String bootstrapServers,
            int tasks,
            int rate,
            int concurrency,
            Duration replyDelay,
            Duration maxTime) {
        this.client = client;
        this.bootstrapServers = bootstrapServers;
        this.tasks = tasks;
        this.rate = rate;
        this.concurrency = concurrency;
        this.replyDelay = replyDelay;
        this.maxTime = maxTime;
    }

    Result run(PrintStream progress) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + maxTime.toNanos();
        String tenant = client.tenantId();
        try (CallbackReceiver receiver = new CallbackReceiver(replyDelay, tasks)) {
            String task = """
                    {"repo_url":"https://example.invalid/bench.git","prompt":"webhook pipeline bench",\
                    "config":{"cli":"echo"},"callback_url":"%s"}""".formatted(receiver.url());
            progress.printf("Creating %d tasks with a callback (%d at a time)...%n", tasks, concurrency);
            TasksClient.Submitted submitted = client.submitAll(task, tasks, concurrency, deadline);
            List<String> ids = submitted.taskIds();
            progress.printf(
                    "Publishing %d task.completed events at %d/s to a receiver answering after %s...%n",
                    ids.size(), rate, Durations.human(replyDelay));
            long publishStart = System.nanoTime();
            int published = publish(ids, tenant, deadline);
            double publishedPerSecond = published / ((System.nanoTime() - publishStart) / 1e9);
            receiver.awaitReceived(published, deadline);
            return new Result(
                    ids.size(),
                    published,
                    receiver.received(),
                    receiver.duplicates(),
                    submitted.errors(),
                    publishedPerSecond,
                    receiver.eventToReceipt(),
                    receiver.deliveriesPerSecond());
        }
    }

    /** Publishes one event per task on a fixed schedule (event i is due at start + i / rate); returns how many. */
    private int publish(List<String> taskIds, String tenant, long deadline) throws InterruptedException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                1,
                ProducerConfig.CLIENT_ID_CONFIG,
                "agentry-benchmark");
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            int sent = 0;
            for (String id : taskIds) {
                long due = start + sent * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
                Envelope<TaskCompleted> event = Envelope.of(
                        UUID.fromString(id),
                        tenant,
                        new TaskCompleted(
                                1, "Benchmark result.", new Usage(10, 5, 0, null), new ChangesSummary(1, 1, 0), null));
                producer.send(codec.record(Topics.TASK_EVENTS, event, null), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
                sent++;
            }
            producer.flush();
            return sent - (int) failed.get();
        }
    }
}
