package dev.agentry.worker.queue;

import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.messaging.DeadLetters;
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
 * Consumes the topic of every {@link CommandHandler} in the Kafka share group {@code agentry.worker.share-group-id}:
 * one share consumer and one thread per slot ({@link CommandHandler#slots()}), each polling for one record only
 * when it is idle, so a worker never holds a command it cannot start, and a long command never blocks another slot.
 *
 * <p>A share group rather than a classic consumer group: per-record acknowledgement, delivery counts and
 * acquisition locks are what a job queue needs, and the number of consumers is not capped by partitions. The raw
 * {@link KafkaShareConsumer} rather than spring-kafka's share container: a slot renews the lock of the record it
 * runs (KIP-1222 {@code RENEW}) and polls the renewed record back, which needs the consumer in the slot's hands.
 */
@Component
public class CommandQueue implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommandQueue.class);
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
    private final List<CommandHandler<?>> handlers;
    private final DeadLetters deadLetters;
    private final SeenCommands seen;
    private final List<QueueSlot<?>> slots = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private ExecutorService commandThreads = Executors.newVirtualThreadPerTaskExecutor();

    CommandQueue(
            WorkerProperties properties,
            KafkaProperties kafka,
            Admin admin,
            List<CommandHandler<?>> handlers,
            DeadLetters deadLetters,
            SeenCommands seen) {
        this.properties = properties;
        this.kafka = kafka;
        this.admin = admin;
        this.handlers = List.copyOf(handlers);
        this.deadLetters = deadLetters;
        this.seen = seen;
    }

    @Override
    public synchronized void start() {
        ShareGroupSetup.apply(admin, properties, handlers, Duration.ofMinutes(1));
        commandThreads = Executors.newVirtualThreadPerTaskExecutor();
        for (CommandHandler<?> handler : handlers) {
            for (int i = 0; i < handler.slots(); i++) {
                startSlot(handler, properties.workerId() + "-" + handler.topic() + "-" + i);
            }
            log.info(
                    "Worker {} takes commands from {} on {} slots.",
                    properties.workerId(),
                    handler.topic(),
                    handler.slots());
        }
        running = true;
    }

    private <C> void startSlot(CommandHandler<C> handler, String name) {
        QueueSlot<C> slot = new QueueSlot<>(
                name, () -> consumer(name), handler, deadLetters, seen, commandThreads, properties.lockDuration());
        slots.add(slot);
        threads.add(Thread.ofPlatform().name("slot-" + name).start(slot));
    }

    @Override
    public synchronized void stop() {
        running = false;
        slots.forEach(QueueSlot::stop);
        // Running commands are killed and released, so another worker runs them again at once.
        handlers.forEach(CommandHandler::abandonAll);
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
        commandThreads.shutdownNow();
        slots.clear();
        threads.clear();
        log.info("Worker {} stopped taking commands.", properties.workerId());
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
