package dev.agentry.worker;

import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskControl;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.WorkspaceEvent;
import dev.agentry.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * The test's side of the two task topics: sends {@code task.run} commands as the API's outbox relay would, and
 * records every task event with a plain consumer, keeping the raw bytes for leak checks.
 */
final class TaskTopics implements AutoCloseable {

    static final MessageCodec CODEC = new MessageCodec();

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final Map<UUID, List<Recorded>> events = new ConcurrentHashMap<>();
    private final Map<UUID, List<WorkspaceEvent>> workspaceEvents = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    record Recorded(
            Envelope<TaskEvent> envelope,
            byte[] raw,
            @Nullable String traceparent) {
        TaskEvent event() {
            return envelope.payload();
        }
    }

    TaskTopics() {
        String bootstrap = TestKafka.bootstrapServers();
        createTopics(bootstrap);
        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "group.id",
                        "test-events-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.TASK_EVENTS));
        reader = Thread.ofPlatform().name("test-event-reader").daemon().start(this::read);
    }

    UUID send(RunTask command) {
        return send(UUID.randomUUID(), command, null);
    }

    UUID send(UUID taskId, RunTask command, @Nullable String traceparent) {
        Envelope<RunTask> envelope = Envelope.of(taskId, "tenant-test", command);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.TASK_COMMANDS, envelope.key(), CODEC.encode(envelope));
        record.headers().add(Headers.MESSAGE_ID, envelope.id().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.MESSAGE_TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            record.headers().add(Headers.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        sendRaw(record);
        return taskId;
    }

    void sendRaw(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a control message as the API's outbox relay would. */
    void control(UUID taskId, TaskControl message) {
        Envelope<TaskControl> envelope = Envelope.of(taskId, "tenant-test", message);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.TASK_CONTROL, envelope.key(), CODEC.encode(envelope));
        record.headers().add(Headers.MESSAGE_ID, envelope.id().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.MESSAGE_TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
        sendRaw(record);
    }

    /** Sends a record whose value is no message at all, as a broken or foreign producer would. */
    void sendUndecodable(String topic, String key) {
        sendRaw(new ProducerRecord<>(topic, key, "not json".getBytes(StandardCharsets.UTF_8)));
    }

    /** Waits for the record with {@code key} on {@code <topic>-dlt} and returns it. */
    static ConsumerRecord<String, byte[]> awaitDeadLetter(String topic, String key) {
        try (KafkaConsumer<String, byte[]> dlt = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "group.id",
                        "test-dlt-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            dlt.subscribe(List.of(Topics.deadLetter(topic)));
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                dlt.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return !found.isEmpty();
            });
            return found.getFirst();
        }
    }

    List<WorkspaceEvent> workspaceEvents(UUID taskId) {
        return List.copyOf(workspaceEvents.getOrDefault(taskId, List.of()));
    }

    List<Recorded> recorded(UUID taskId) {
        return List.copyOf(events.getOrDefault(taskId, List.of()));
    }

    List<TaskEvent> events(UUID taskId) {
        return recorded(taskId).stream().map(Recorded::event).toList();
    }

    /** The events without heartbeats, whose place among the others depends on timing. */
    List<TaskEvent> progress(UUID taskId) {
        return events(taskId).stream()
                .filter(e -> !(e instanceof TaskHeartbeat))
                .toList();
    }

    TaskEvent awaitTerminal(UUID taskId, Duration limit) {
        return await().atMost(limit)
                .until(() -> events(taskId).stream().filter(TaskEvent::terminal).findFirst(), t -> t.isPresent())
                .orElseThrow();
    }

    String allBytes(UUID taskId) {
        StringBuilder all = new StringBuilder();
        recorded(taskId)
                .forEach(r ->
                        all.append(new String(r.raw(), StandardCharsets.UTF_8)).append('\n'));
        return all.toString();
    }

    private void read() {
        try {
            while (open) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Envelope<?> decoded = CODEC.decode(record.value());
                    if (decoded.payload() instanceof WorkspaceEvent workspace) {
                        workspaceEvents
                                .computeIfAbsent(decoded.aggregateId(), id -> new CopyOnWriteArrayList<>())
                                .add(workspace);
                        continue;
                    }
                    Envelope<TaskEvent> envelope = CODEC.decodeTaskEvent(record.value());
                    Header trace = record.headers().lastHeader(Headers.TRACEPARENT);
                    events.computeIfAbsent(envelope.aggregateId(), id -> new CopyOnWriteArrayList<>())
                            .add(new Recorded(
                                    envelope,
                                    record.value(),
                                    trace == null ? null : new String(trace.value(), StandardCharsets.UTF_8)));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        consumer.wakeup();
        reader.join(Duration.ofSeconds(10));
        producer.close();
    }

    /**
     * The topics as a worker creates them, before anything is produced: a producer that got there first would have
     * the broker auto-create the commands topic with several partitions.
     */
    private static void createTopics(String bootstrap) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (NewTopic topic : List.of(
                    new NewTopic(Topics.TASK_COMMANDS, Optional.of(1), Optional.empty()),
                    new NewTopic(Topics.TASK_EVENTS, Optional.of(4), Optional.empty()),
                    new NewTopic(Topics.TASK_CONTROL, Optional.of(4), Optional.empty()))) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A run with nothing but what these tests vary: no secrets, no MCP servers, no mission settings. */
    static RunTask run(int iteration, String repoUrl, String prompt, String runtime, int timeoutSeconds) {
        return new RunTask(
                iteration,
                repoUrl,
                prompt,
                runtime,
                timeoutSeconds,
                null,
                null,
                null,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                List.of());
    }

    static RunTask command(String repoUrl, String prompt, int timeoutSeconds) {
        return run(1, repoUrl, prompt, "command", timeoutSeconds);
    }

    static List<String> lines(List<TaskEvent> events, String category) {
        List<String> lines = new ArrayList<>();
        for (TaskEvent event : events) {
            if (event instanceof dev.agentry.events.task.TaskOutput output
                    && output.category().equals(category)
                    && output.data().has("line")) {
                lines.add(output.data().get("line").asString());
            }
        }
        return lines;
    }
}
