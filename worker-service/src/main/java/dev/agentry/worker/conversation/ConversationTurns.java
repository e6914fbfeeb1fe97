package dev.agentry.worker.conversation;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.conversation.ConversationCommand;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.llm.ChatModels;
import dev.agentry.worker.llm.LlmProperties;
import dev.agentry.worker.queue.CommandHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * {@code conversation.turn} on {@code agentry.conversation.commands}, run by the {@link TurnRunner} in the queue's
 * slots ({@code agentry.worker.llm.concurrency} of them). The command is accepted only once Kafka acknowledged the
 * turn's terminal event and released when it could not be sent; a command delivered more than
 * {@code agentry.worker.max-attempts} times fails {@code worker_lost} without running again. No bean, so no slots,
 * when {@code agentry.worker.llm.enabled} is false.
 */
@Component
@ConditionalOnBooleanProperty(name = "agentry.worker.llm.enabled", matchIfMissing = true)
class ConversationTurns implements CommandHandler<Envelope<RunTurn>> {

    private static final Logger log = LoggerFactory.getLogger(ConversationTurns.class);

    private final LlmProperties properties;
    private final int maxAttempts;
    private final MessageCodec codec;
    private final TurnRunner runner;
    /** The turns running now, each with the thread it runs on; abandoning one completes it with RELEASE. */
    private final Map<CompletableFuture<Outcome>, Thread> running = new ConcurrentHashMap<>();

    ConversationTurns(
            LlmProperties properties,
            WorkerProperties worker,
            MessageCodec codec,
            TurnEvents events,
            ChatModels models,
            ModelAccess access,
            MeterRegistry meters) {
        this.properties = properties;
        this.maxAttempts = worker.maxAttempts();
        this.codec = codec;
        Clock clock = Clock.systemUTC();
        this.runner = new TurnRunner(
                worker.workerId(), properties, models, access, events, new TurnPrompts(codec.mapper()), clock, meters);
    }

    @Override
    public String topic() {
        return Topics.CONVERSATION_COMMANDS;
    }

    @Override
    public int partitions() {
        return properties.commandPartitions();
    }

    @Override
    public Map<String, Integer> eventTopics() {
        return Map.of(Topics.CONVERSATION_EVENTS, properties.eventPartitions());
    }

    @Override
    public int slots() {
        return properties.concurrency();
    }

    @Override
    public Envelope<RunTurn> decode(byte[] value) {
        Envelope<ConversationCommand> envelope = codec.decodeConversationCommand(value);
        return switch (envelope.payload()) {
            case RunTurn turn ->
                new Envelope<>(
                        envelope.id(),
                        envelope.type(),
                        envelope.aggregateId(),
                        envelope.tenantId(),
                        envelope.occurredAt(),
                        envelope.schemaVersion(),
                        turn);
        };
    }

    @Override
    public Outcome run(Envelope<RunTurn> command, Delivery delivery) {
        if (delivery.attempt() > maxAttempts) {
            return giveUp(command, delivery);
        }
        // The turn runs on a thread of its own so that a stopping worker releases it at once, whether or not the
        // model call it is in notices the interrupt.
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Thread turn = Thread.ofVirtual()
                .name("turn-" + command.payload().turnId())
                .unstarted(() -> {
                    try {
                        ConversationEvent terminal = runner.run(command, delivery.traceparent());
                        // An abandoned turn sends no terminal event: another worker runs it again.
                        if (!outcome.isDone()) {
                            outcome.complete(
                                    runner.finish(command, delivery.traceparent(), terminal)
                                            ? Outcome.ACCEPT
                                            : Outcome.RELEASE);
                        }
                    } catch (RuntimeException e) {
                        outcome.completeExceptionally(e);
                    }
                });
        running.put(outcome, turn);
        try {
            turn.start();
            return outcome.join();
        } finally {
            running.remove(outcome);
        }
    }

    private Outcome giveUp(Envelope<RunTurn> command, Delivery delivery) {
        log.warn(
                "Turn {} was delivered {} times without finishing; failing it.",
                command.payload().turnId(),
                delivery.attempt());
        TurnFailed failed = new TurnFailed(
                command.payload().turnId(),
                TurnFailed.WORKER_LOST,
                "The turn was delivered " + delivery.attempt() + " times without finishing");
        return runner.finish(command, delivery.traceparent(), failed) ? Outcome.ACCEPT : Outcome.RELEASE;
    }

    @Override
    public void abandonAll() {
        running.forEach((outcome, thread) -> {
            outcome.complete(Outcome.RELEASE);
            thread.interrupt();
        });
    }
}
