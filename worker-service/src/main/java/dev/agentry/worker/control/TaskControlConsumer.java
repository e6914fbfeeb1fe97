package dev.agentry.worker.control;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.DeleteWorkspace;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskControl;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.execution.TaskEventPublisher;
import dev.agentry.worker.execution.TaskExecutor;
import dev.agentry.worker.workspace.Workspaces;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Reads {@code agentry.task.control} in full and in order, in a classic consumer group of this worker alone
 * ({@code agentry-control-<worker id>}, from the earliest offset, so a new worker also learns recent
 * cancellations). Starts before the task slots and waits (briefly) until it caught up, so a slot does not start a
 * command whose cancellation is already on the topic. Never blocks on a task: follow-up iterations run on threads
 * of their own, at most {@code concurrency} at once, and deletions too.
 */
@Component
public class TaskControlConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskControlConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CATCH_UP = Duration.ofSeconds(15);

    private final WorkerProperties properties;
    private final KafkaProperties kafka;
    private final Admin admin;
    private final MessageCodec codec;
    private final TaskExecutor executor;
    private final Workspaces workspaces;
    private final TaskEventPublisher publisher;
    private final Semaphore iterationSlots;
    private final ObjectProvider<PullRequestHandler> pullRequests;
    private volatile boolean running;
    private @Nullable Thread thread;
    private volatile @Nullable KafkaConsumer<String, byte[]> consumer;
    private ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private CountDownLatch caughtUp = new CountDownLatch(1);

    TaskControlConsumer(
            WorkerProperties properties,
            KafkaProperties kafka,
            Admin admin,
            MessageCodec codec,
            TaskExecutor executor,
            Workspaces workspaces,
            TaskEventPublisher publisher,
            ObjectProvider<PullRequestHandler> pullRequests) {
        this.pullRequests = pullRequests;
        this.properties = properties;
        this.kafka = kafka;
        this.admin = admin;
        this.codec = codec;
        this.executor = executor;
        this.workspaces = workspaces;
        this.publisher = publisher;
        this.iterationSlots = new Semaphore(properties.concurrency());
    }

    /** The consumer group of this worker alone: every worker reads every control message. */
    public static String groupId(String workerId) {
        return "agentry-control-" + workerId;
    }

    @Override
    public synchronized void start() {
        createTopic();
        work = Executors.newVirtualThreadPerTaskExecutor();
        caughtUp = new CountDownLatch(1);
        running = true;
        thread = Thread.ofPlatform()
                .name("task-control-" + properties.workerId())
                .start(this::consume);
        try {
            if (!caughtUp.await(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "The control topic was not read to its end within {} s; taking tasks anyway.",
                        CATCH_UP.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Follow-up iterations still running are killed without a terminal event by the task queue's stop;
        // their threads end with it.
        work.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the task slots start (they are in the default phase), after they stopped. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }

    private void consume() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                c.subscribe(List.of(Topics.TASK_CONTROL));
                while (running) {
                    try {
                        var records = c.poll(POLL);
                        for (ConsumerRecord<String, byte[]> record : records) {
                            handle(record);
                        }
                        if (!records.isEmpty()) {
                            c.commitSync();
                        }
                        if (caughtUp.getCount() > 0 && atEnd(c)) {
                            log.info("Worker {} has read the control topic to its end.", properties.workerId());
                            caughtUp.countDown();
                        }
                    } catch (WakeupException e) {
                        // stop() woke the poll up.
                    }
                }
            } catch (KafkaException | IllegalStateException e) {
                if (running) {
                    log.error("The control consumer failed; starting a new one.", e);
                    pause();
                }
            }
        }
    }

    private static boolean atEnd(KafkaConsumer<String, byte[]> c) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> ends = c.endOffsets(assigned);
        for (TopicPartition partition : assigned) {
            if (c.position(partition) < ends.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }

    void handle(ConsumerRecord<String, byte[]> record) {
        Envelope<TaskControl> envelope;
        try {
            if (record.value() == null) {
                throw new UndecodableMessageException("empty record");
            }
            envelope = codec.decodeTaskControl(record.value());
        } catch (UndecodableMessageException e) {
            log.warn(
                    "Skipping control record {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        UUID taskId = envelope.aggregateId();
        String traceparent = header(record, Headers.TRACEPARENT);
        try {
            switch (envelope.payload()) {
                case CancelTask cancel -> {
                    if (executor.cancel(taskId, cancel.iteration())) {
                        log.info("Task {} iteration {} is being cancelled on this worker.", taskId, cancel.iteration());
                    }
                }
                case RunIteration iteration -> {
                    if (mine(iteration.workerId())) {
                        runIteration(envelope, iteration.run(), traceparent);
                    }
                }
                case CreatePullRequest pullRequest -> {
                    if (mine(pullRequest.workerId())) {
                        PullRequestHandler handler = pullRequests.getIfAvailable();
                        if (handler == null) {
                            log.warn("Task {} asks this worker for a pull request, which it cannot open.", taskId);
                        } else {
                            work.submit(() -> handler.createPullRequest(envelope, pullRequest, traceparent));
                        }
                    }
                }
                case DeleteWorkspace delete -> {
                    if (mine(delete.workerId())) {
                        work.submit(() -> deleteWorkspace(taskId, envelope.tenantId(), traceparent));
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("Control message {} for task {} could not be handled.", envelope.type(), taskId, e);
        }
    }

    private boolean mine(String workerId) {
        return properties.workerId().equals(workerId);
    }

    private void runIteration(Envelope<TaskControl> envelope, RunTask run, @Nullable String traceparent) {
        Envelope<RunTask> command = new Envelope<>(
                envelope.id(),
                RunTask.TYPE,
                envelope.aggregateId(),
                envelope.tenantId(),
                envelope.occurredAt(),
                envelope.schemaVersion(),
                run);
        log.info("Task {} iteration {} is handed to this worker.", envelope.aggregateId(), run.iteration());
        work.submit(() -> {
            try {
                iterationSlots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                executor.executeFollowUp(command, traceparent);
            } finally {
                iterationSlots.release();
            }
        });
    }

    private void deleteWorkspace(UUID taskId, String tenantId, @Nullable String traceparent) {
        boolean deleted = executor.whileNotRunning(taskId, () -> workspaces.delete(taskId));
        if (!deleted) {
            log.warn("The workspace of task {} is not deleted: the task is running in it.", taskId);
            return;
        }
        publisher.publish(taskId, tenantId, traceparent, new WorkspaceRemoved(properties.workerId(), "deleted"));
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put("group.id", groupId(properties.workerId()));
        config.put("client.id", properties.workerId() + "-control");
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", false);
        config.remove("group.instance.id");
        config.remove("key.deserializer");
        config.remove("value.deserializer");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void createTopic() {
        try {
            admin.createTopics(List.of(new NewTopic(
                            Topics.TASK_CONTROL, Optional.of(properties.eventPartitions()), Optional.empty())))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            log.info("Created topic {}.", Topics.TASK_CONTROL);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                log.warn("Topic {} could not be created: {}", Topics.TASK_CONTROL, e.getMessage());
            }
        } catch (TimeoutException e) {
            log.warn("Topic {} could not be created in time; subscribing anyway.", Topics.TASK_CONTROL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static @Nullable String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
