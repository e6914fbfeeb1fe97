package dev.agentry.worker.conversation;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.conversation.ConversationCommand;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.TurnFailed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conversation slot: its own share consumer that takes one {@code RunTurn} at a time, runs it on a virtual
 * thread while renewing the record's acquisition lock every third of the lock duration, and acknowledges it:
 * ACCEPT once the turn's terminal event is on Kafka, RELEASE when it could not be sent, REJECT for a record that
 * is not a conversation command. The consumer is only touched from the slot's own thread.
 *
 * <p>Kept apart from the task queue's slots on purpose, for now; both follow the same acquisition-lock protocol
 * (a renewed record comes back on the next poll and only that instance can be acknowledged).
 */
final class ConversationSlot implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ConversationSlot.class);
    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration RENEW_POLL = Duration.ofMillis(200);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(15);

    private final String name;
    private final Supplier<ShareConsumer<String, byte[]>> consumers;
    private final TurnRunner runner;
    private final TurnEvents events;
    private final MessageCodec codec;
    private final ExecutorService turnThreads;
    private final Duration renewEvery;
    private final int maxAttempts;
    private volatile boolean running = true;
    private volatile @Nullable ShareConsumer<String, byte[]> consumer;

    ConversationSlot(
            String name,
            Supplier<ShareConsumer<String, byte[]>> consumers,
            TurnRunner runner,
            TurnEvents events,
            MessageCodec codec,
            ExecutorService turnThreads,
            Duration lockDuration,
            int maxAttempts) {
        this.name = name;
        this.consumers = consumers;
        this.runner = runner;
        this.events = events;
        this.codec = codec;
        this.turnThreads = turnThreads;
        this.renewEvery = lockDuration.dividedBy(3);
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void run() {
        while (running) {
            try (ShareConsumer<String, byte[]> c = consumers.get()) {
                consumer = c;
                c.subscribe(List.of(Topics.CONVERSATION_COMMANDS));
                while (running) {
                    try {
                        c.poll(IDLE_POLL).forEach(record -> handle(c, record));
                    } catch (WakeupException e) {
                        // stop() woke the poll up.
                    }
                }
            } catch (KafkaException | IllegalStateException e) {
                if (running) {
                    log.error("Conversation slot {} lost its consumer; starting a new one.", name, e);
                    pause();
                }
            }
        }
    }

    void stop() {
        running = false;
        ShareConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void handle(ShareConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> record) {
        Envelope<ConversationCommand> envelope;
        try {
            if (record.value() == null) {
                throw new UndecodableMessageException("empty record");
            }
            envelope = codec.decodeConversationCommand(record.value());
        } catch (UndecodableMessageException e) {
            log.warn(
                    "Rejecting record {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            acknowledge(c, record, AcknowledgeType.REJECT);
            return;
        }
        String traceparent = header(record, Headers.TRACEPARENT);
        switch (envelope.payload()) {
            case RunTurn turn -> {
                Envelope<RunTurn> command = new Envelope<>(
                        envelope.id(),
                        envelope.type(),
                        envelope.aggregateId(),
                        envelope.tenantId(),
                        envelope.occurredAt(),
                        envelope.schemaVersion(),
                        turn);
                int attempt = record.deliveryCount().map(Short::intValue).orElse(1);
                if (attempt > maxAttempts) {
                    giveUp(c, record, command, traceparent, attempt);
                } else {
                    runWhileRenewing(c, record, command, traceparent);
                }
            }
        }
    }

    private void giveUp(
            ShareConsumer<String, byte[]> c,
            ConsumerRecord<String, byte[]> record,
            Envelope<RunTurn> command,
            @Nullable String traceparent,
            int attempt) {
        log.warn(
                "Turn {} was delivered {} times without finishing; failing it.",
                command.payload().turnId(),
                attempt);
        TurnFailed failed = new TurnFailed(
                command.payload().turnId(),
                TurnFailed.WORKER_LOST,
                "The turn was delivered " + attempt + " times without finishing");
        try {
            events.publish(command, traceparent, failed).get(COMMIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            acknowledge(c, record, AcknowledgeType.ACCEPT);
        } catch (ExecutionException | TimeoutException e) {
            acknowledge(c, record, AcknowledgeType.RELEASE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runWhileRenewing(
            ShareConsumer<String, byte[]> c,
            ConsumerRecord<String, byte[]> record,
            Envelope<RunTurn> command,
            @Nullable String traceparent) {
        Future<Boolean> run = turnThreads.submit(() -> runner.run(command, traceparent));
        ConsumerRecord<String, byte[]> current = record;
        boolean finished;
        while (true) {
            try {
                finished = run.get(renewEvery.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                if (!running) {
                    // Stopping: the turn is abandoned and released at once, for another worker to run again.
                    run.cancel(true);
                    finished = false;
                    break;
                }
                current = renew(c, current);
            } catch (ExecutionException e) {
                log.error(
                        "Turn {} broke its slot; releasing it.",
                        command.payload().turnId(),
                        e.getCause());
                finished = false;
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.cancel(true);
                finished = false;
                break;
            }
        }
        acknowledge(c, current, finished ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
    }

    private ConsumerRecord<String, byte[]> renew(ShareConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> held) {
        acknowledge(c, held, AcknowledgeType.RENEW);
        Instant giveUp = Instant.now().plus(renewEvery);
        try {
            while (Instant.now().isBefore(giveUp)) {
                for (ConsumerRecord<String, byte[]> record : c.poll(RENEW_POLL)) {
                    if (record.partition() == held.partition() && record.offset() == held.offset()) {
                        held = record;
                        giveUp = Instant.MIN;
                    } else {
                        // Not ours to run now: this slot is busy. Another slot or worker takes it.
                        acknowledge(c, record, AcknowledgeType.RELEASE);
                    }
                }
            }
        } catch (WakeupException e) {
            // Stopping: the turn is abandoned and released.
        } catch (IllegalStateException e) {
            log.warn("Lock renewal of {}@{} failed: {}", held.partition(), held.offset(), e.getMessage());
        }
        return held;
    }

    private void acknowledge(
            ShareConsumer<String, byte[]> c, ConsumerRecord<String, byte[]> record, AcknowledgeType type) {
        try {
            c.acknowledge(record, type);
            try {
                c.commitSync(COMMIT_TIMEOUT);
            } catch (WakeupException e) {
                // A wakeup is meant for the idle poll; acknowledgements must still reach Kafka.
                c.commitSync(COMMIT_TIMEOUT);
            }
        } catch (IllegalStateException | KafkaException e) {
            log.warn(
                    "Record {}@{} could not be acknowledged {} ({}); Kafka delivers it again when its lock expires.",
                    record.partition(),
                    record.offset(),
                    type,
                    e.getMessage());
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
