package dev.agentry.worker.conversation;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.llm.ChatModels;
import dev.agentry.worker.llm.LlmProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code agentry.conversation.commands} in the share group {@code agentry.worker.llm.share-group-id}: one
 * share consumer and one thread per slot ({@code agentry.worker.llm.concurrency}), beside the task queue's slots.
 * Off when {@code agentry.worker.llm.enabled} is false.
 */
@Component
class ConversationQueue implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConversationQueue.class);

    private final LlmProperties properties;
    private final WorkerProperties worker;
    private final KafkaProperties kafka;
    private final Admin admin;
    private final MessageCodec codec;
    private final TurnEvents events;
    private final TurnRunner runner;
    private final List<ConversationSlot> slots = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private ExecutorService turnThreads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running;

    ConversationQueue(
            LlmProperties properties,
            WorkerProperties worker,
            KafkaProperties kafka,
            Admin admin,
            MessageCodec codec,
            TurnEvents events,
            ChatModels models,
            ModelAccess access,
            MeterRegistry meters) {
        this.properties = properties;
        this.worker = worker;
        this.kafka = kafka;
        this.admin = admin;
        this.codec = codec;
        this.events = events;
        Clock clock = Clock.systemUTC();
        this.runner = new TurnRunner(
                worker.workerId(), properties, models, access, events, new TurnPrompts(codec.mapper()), clock, meters);
    }

    @Override
    public synchronized void start() {
        if (!properties.enabled()) {
            log.info("Worker {} takes no conversation turns (agentry.worker.llm.enabled=false).", worker.workerId());
            running = true;
            return;
        }
        ConversationKafka.prepare(admin, properties, Duration.ofMinutes(1));
        turnThreads = Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < properties.concurrency(); i++) {
            String name = worker.workerId() + "-conversation-" + i;
            ConversationSlot slot = new ConversationSlot(
                    name,
                    () -> ConversationKafka.consumer(kafka, properties.shareGroupId(), name),
                    runner,
                    events,
                    codec,
                    turnThreads,
                    properties.lockDuration(),
                    worker.maxAttempts());
            slots.add(slot);
            threads.add(Thread.ofPlatform().name(name).start(slot));
        }
        running = true;
        log.info("Worker {} takes conversation turns on {} slots.", worker.workerId(), properties.concurrency());
    }

    @Override
    public synchronized void stop() {
        running = false;
        slots.forEach(ConversationSlot::stop);
        for (Thread thread : threads) {
            try {
                if (!thread.join(Duration.ofSeconds(20))) {
                    log.warn("Conversation slot {} did not stop within 20 s.", thread.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        turnThreads.shutdownNow();
        slots.clear();
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
