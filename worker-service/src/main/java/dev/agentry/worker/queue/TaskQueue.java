package dev.agentry.worker.queue;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.execution.TaskExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code agentry.task.commands} in the Kafka share group {@code agentry.worker.share-group-id}: one share
 * consumer and one thread per slot ({@code agentry.worker.concurrency}), each polling for one record only when it
 * is idle, so a worker never holds a command it cannot start, and a long task never blocks another slot.
 *
 * <p>A share group rather than a classic consumer group: per-record acknowledgement, delivery counts and
 * acquisition locks are what a job queue needs, and the number of consumers is not capped by partitions.
 */
@Component
public class TaskQueue implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskQueue.class);
    /** Options a share consumer refuses; Spring's consumer properties may carry them for classic consumers. */
    private static final List<String> CLASSIC_ONLY = List.of(
            "auto.offset.reset",
            "enable.auto.commit",
            "group.instance.id",
            "isolation.level",
            "partition.assignment.strategy",
            "interceptor.classes",
            "session.timeout.ms",
            "heartbeat.interval.ms",
            "group.protocol",
            "group.remote.assignor",
            "key.deserializer",
            "value.deserializer");

    private final WorkerProperties properties;
    private final KafkaProperties kafka;
    private final Admin admin;
    private final TaskExecutor executor;
    private final MessageCodec codec;
    private final List<QueueSlot> slots = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private ExecutorService taskThreads = Executors.newVirtualThreadPerTaskExecutor();

    TaskQueue(
            WorkerProperties properties,
            KafkaProperties kafka,
            Admin admin,
            TaskExecutor executor,
            MessageCodec codec) {
        this.properties = properties;
        this.kafka = kafka;
        this.admin = admin;
        this.executor = executor;
        this.codec = codec;
    }

    @Override
    public synchronized void start() {
        ShareGroupSetup.apply(admin, properties, Duration.ofMinutes(1));
        taskThreads = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < properties.concurrency(); i++) {
            String name = properties.workerId() + "-slot-" + i;
            QueueSlot slot =
                    new QueueSlot(name, () -> consumer(name), executor, codec, taskThreads, properties.lockDuration());
            slots.add(slot);
            threads.add(Thread.ofPlatform().name("task-" + name).start(slot));
        }
        running = true;
        log.info("Worker {} takes tasks on {} slots.", properties.workerId(), properties.concurrency());
    }

    @Override
    public synchronized void stop() {
        running = false;
        slots.forEach(QueueSlot::stop);
        // Running tasks are killed and released, so another worker runs them again at once.
        executor.abandonAll();
        Duration patience = properties.killGracePeriod().plusSeconds(20);
        for (Thread thread : threads) {
            try {
                if (!thread.join(patience)) {
                    log.warn("Slot thread {} did not stop within {}.", thread.getName(), patience);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        taskThreads.shutdownNow();
        slots.clear();
        threads.clear();
        log.info("Worker {} stopped taking tasks.", properties.workerId());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Whether every slot's thread is alive, for readiness. */
    public boolean slotsAlive() {
        return running && !threads.isEmpty() && threads.stream().allMatch(Thread::isAlive);
    }

    private ShareConsumer<String, byte[]> consumer(String clientId) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        CLASSIC_ONLY.forEach(config::remove);
        config.put("group.id", properties.shareGroupId());
        config.put("client.id", clientId);
        config.put("share.acknowledgement.mode", "explicit");
        config.put("share.acquire.mode", "record_limit");
        config.put("max.poll.records", 1);
        return new KafkaShareConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
