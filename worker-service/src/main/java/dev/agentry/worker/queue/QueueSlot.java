package dev.agentry.worker.queue;

import dev.agentry.events.Headers;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.worker.messaging.DeadLetters;
import dev.agentry.worker.queue.CommandHandler.Delivery;
import dev.agentry.worker.queue.CommandHandler.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of a worker's concurrency for one {@link CommandHandler}: its own share consumer on the handler's topic
 * that polls only while the slot is idle, takes one record, runs the command on a virtual thread, and meanwhile
 * renews the record's acquisition lock every third of the lock duration. The consumer is only ever touched from the
 * slot's own thread.
 *
 * <p>Kafka 4.2 returns a renewed record again on the next poll, and only the instance it returned can be
 * acknowledged afterwards, so after each renewal the slot polls until it gets the same offset back and swaps its
 * reference.
 */
final class QueueSlot<C> implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(QueueSlot.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration RENEW_POLL = Duration.ofMillis(200);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final Supplier<ShareConsumer<String, byte[]>> consumers;
    private final CommandHandler<C> handler;
    private final DeadLetters deadLetters;
    private final SeenCommands seen;
    private final ExecutorService taskThreads;
    private final Duration renewEvery;
    private volatile boolean running = true;
    private volatile @Nullable ShareConsumer<String, byte[]> consumer;

    QueueSlot(
            String name,
            Supplier<ShareConsumer<String, byte[]>> consumers,
            CommandHandler<C> handler,
            DeadLetters deadLetters,
            SeenCommands seen,
            ExecutorService taskThreads,
            Duration lockDuration) {
        this.name = name;
        this.consumers = consumers;
        this.handler = handler;
        this.deadLetters = deadLetters;
        this.seen = seen;
        this.taskThreads = taskThreads;
        this.renewEvery = lockDuration.dividedBy(3);
    }

    @Override
    public void run() {
        while (running) {
            try (ShareConsumer<String, byte[]> c = consumers.get()) {
                consumer = c;
                c.subscribe(List.of(handler.topic()));
                while (running) {
                    try {
                        c.poll(IDLE_POLL).forEach(record -> handle(c, record));
                    } catch (WakeupException e) {
                        // stop() woke the poll up.
                    }
                }
            } catch (KafkaException | IllegalStateException e) {
                if (running) {
                    log.error("Slot {} lost its consumer; starting a new one.", name, e);
                    pause();
                }
            }
        }
        log.info("Slot {} stopped.", name);
    }

    void stop() {
        running = false;
        ShareConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void handle(ShareConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> record) {
        C command;
        try {
            if (record.value() == null) {
                throw new UndecodableMessageException("empty record");
            }
            command = handler.decode(record.value());
        } catch (UndecodableMessageException e) {
            deadLetter(c, record, e);
            return;
        }
        String messageId = header(record, Headers.MESSAGE_ID);
        if (messageId != null && seen.isCopy(messageId, record)) {
            log.warn(
                    "Record {}-{}@{} repeats command {}, taken already from another record; accepted without running.",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    messageId);
            c.acknowledge(record, AcknowledgeType.ACCEPT);
            commit(c);
            return;
        }
        int attempt = record.deliveryCount().map(Short::intValue).orElse(1);
        runWhileRenewing(c, record, command, new Delivery(attempt, header(record, Headers.TRACEPARENT)));
    }

    /** Rejected (never delivered again) once it is on the dead-letter topic; released while it cannot get there. */
    private void deadLetter(
            ShareConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> record, UndecodableMessageException e) {
        AcknowledgeType type;
        try {
            deadLetters.send(record, e);
            type = AcknowledgeType.REJECT;
        } catch (RuntimeException failure) {
            log.error(
                    "Undecodable record {}-{}@{} could not be sent to its dead-letter topic; releasing it.",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    failure);
            type = AcknowledgeType.RELEASE;
        }
        c.acknowledge(record, type);
        commit(c);
    }

    private void runWhileRenewing(
            ShareConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> record, C command, Delivery delivery) {
        Future<Outcome> run = taskThreads.submit(() -> handler.run(command, delivery));
        ConsumerRecord<String, byte[]> current = record;
        Outcome outcome;
        while (true) {
            try {
                outcome = run.get(renewEvery.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                current = renew(c, current);
            } catch (ExecutionException e) {
                log.error("Command {} broke its slot {}; releasing it.", record.key(), name, e.getCause());
                outcome = Outcome.RELEASE;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handler.abandonAll();
                outcome = Outcome.RELEASE;
                break;
            }
        }
        AcknowledgeType type = outcome == Outcome.ACCEPT ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE;
        try {
            c.acknowledge(current, type);
            commit(c);
        } catch (IllegalStateException e) {
            log.warn(
                    "Command {} could not be acknowledged ({}); Kafka will deliver it again when its lock expires.",
                    record.key(),
                    e.getMessage());
        }
    }

    private ConsumerRecord<String, byte[]> renew(ShareConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> held) {
        try {
            c.acknowledge(held, AcknowledgeType.RENEW);
            commit(c);
        } catch (IllegalStateException e) {
            log.debug("Renewal of {}@{} not acknowledged: {}", held.partition(), held.offset(), e.getMessage());
        }
        Instant giveUp = Instant.now().plus(renewEvery);
        boolean releasedOthers = false;
        try {
            while (Instant.now().isBefore(giveUp)) {
                for (ConsumerRecord<String, byte[]> record : c.poll(RENEW_POLL)) {
                    if (record.partition() == held.partition()
                            && record.offset() == held.offset()
                            && record.topic().equals(held.topic())) {
                        held = record;
                        giveUp = Instant.MIN;
                    } else {
                        // Not ours to run now: this slot is busy. Another slot or worker takes it.
                        c.acknowledge(record, AcknowledgeType.RELEASE);
                        releasedOthers = true;
                    }
                }
            }
            if (releasedOthers) {
                commit(c);
            }
            if (giveUp != Instant.MIN) {
                log.warn(
                        "Renewed record {}@{} was not returned by Kafka; trying again at the next renewal.",
                        held.partition(),
                        held.offset());
            }
        } catch (WakeupException e) {
            // Stopping: the task is being abandoned and will be released.
        } catch (IllegalStateException e) {
            log.warn("Lock renewal of {}@{} failed: {}", held.partition(), held.offset(), e.getMessage());
        }
        return held;
    }

    private void commit(ShareConsumer<String, byte[]> c) {
        Map<TopicIdPartition, Optional<KafkaException>> results;
        try {
            results = c.commitSync(COMMIT_TIMEOUT);
        } catch (WakeupException e) {
            // A wakeup is meant for the idle poll; acknowledgements must still reach Kafka.
            results = c.commitSync(COMMIT_TIMEOUT);
        }
        results.forEach((partition, error) ->
                error.ifPresent(e -> log.warn("Acknowledgement on {} failed: {}", partition, e.getMessage())));
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
