package dev.agentry.worker.conversation;

import dev.agentry.events.Envelope;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.TurnAction;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.TurnToolCalled;
import dev.agentry.events.task.Usage;
import dev.agentry.worker.conversation.ConversationTools.Accepted;
import dev.agentry.worker.conversation.ConversationTools.Outcome;
import dev.agentry.worker.conversation.ModelAccess.Endpoint;
import dev.agentry.worker.llm.ChatModels;
import dev.agentry.worker.llm.LlmProperties;
import dev.agentry.worker.llm.ModelException;
import dev.agentry.worker.llm.ModelMessage;
import dev.agentry.worker.llm.ModelMessage.AssistantToolCalls;
import dev.agentry.worker.llm.ModelMessage.ToolCall;
import dev.agentry.worker.llm.ModelMessage.ToolResult;
import dev.agentry.worker.llm.ModelMessage.ToolResults;
import dev.agentry.worker.llm.ModelRequest;
import dev.agentry.worker.llm.ModelResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code conversation.turn} to its one terminal event: started, then rounds of model call (its text
 * streamed as deltas) and tool calls (each checked and answered with a tool result), until the model ends its
 * turn; then completed with the reply and the accepted actions in call order, or failed.
 */
final class TurnRunner {

    private static final Logger log = LoggerFactory.getLogger(TurnRunner.class);
    private static final Duration TERMINAL_SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String workerId;
    private final LlmProperties properties;
    private final ChatModels models;
    private final ModelAccess access;
    private final TurnEvents events;
    private final TurnPrompts prompts;
    private final ConversationTools tools;
    private final Clock clock;
    private final MeterRegistry meters;

    TurnRunner(
            String workerId,
            LlmProperties properties,
            ChatModels models,
            ModelAccess access,
            TurnEvents events,
            TurnPrompts prompts,
            Clock clock,
            MeterRegistry meters) {
        this.workerId = workerId;
        this.properties = properties;
        this.models = models;
        this.access = access;
        this.events = events;
        this.prompts = prompts;
        this.tools = new ConversationTools(clock);
        this.clock = clock;
        this.meters = meters;
        // At zero from the start, so that the first turn of an outcome shows in rate() and increase().
        for (String outcome : List.of(
                "completed",
                "failed_" + TurnFailed.MODEL_ERROR,
                "failed_" + TurnFailed.MODEL_UNAVAILABLE,
                "failed_" + TurnFailed.INVALID_COMMAND,
                "failed_" + TurnFailed.TOO_MANY_ROUNDS)) {
            meters.counter("agentry.worker.turns", "outcome", outcome);
        }
    }

    /**
     * Runs the turn up to its terminal event, which is returned, not sent: the caller decides whether the turn still
     * counts (a stopping worker abandons it) and then hands it to {@link #finish}.
     */
    ConversationEvent run(Envelope<RunTurn> command, @Nullable String traceparent) {
        RunTurn turn = command.payload();
        Instant started = clock.instant();
        events.publish(command, traceparent, new TurnStarted(turn.turnId(), workerId));
        try {
            Endpoint endpoint = access.resolve(turn.model());
            return loop(command, traceparent, endpoint, started);
        } catch (IllegalArgumentException e) {
            return new TurnFailed(turn.turnId(), TurnFailed.INVALID_COMMAND, e.getMessage());
        } catch (ModelException e) {
            return new TurnFailed(
                    turn.turnId(),
                    e.transientFailure() ? TurnFailed.MODEL_UNAVAILABLE : TurnFailed.MODEL_ERROR,
                    e.getMessage());
        }
    }

    /** Counts and sends the turn's terminal event; true once Kafka acknowledged it, so the command may be accepted. */
    boolean finish(Envelope<RunTurn> command, @Nullable String traceparent, ConversationEvent terminal) {
        RunTurn turn = command.payload();
        String outcome = terminal instanceof TurnFailed failed ? "failed_" + failed.reason() : "completed";
        meters.counter("agentry.worker.turns", "outcome", outcome).increment();
        if (terminal instanceof TurnFailed failed) {
            log.warn(
                    "Turn {} of conversation {} failed ({}): {}",
                    turn.turnId(),
                    command.aggregateId(),
                    failed.reason(),
                    failed.error());
        }
        return sendTerminal(command, traceparent, terminal);
    }

    private ConversationEvent loop(
            Envelope<RunTurn> command, @Nullable String traceparent, Endpoint endpoint, Instant started) {
        RunTurn turn = command.payload();
        List<ModelMessage> transcript = new ArrayList<>(prompts.transcript(turn));
        String system = prompts.system(turn, clock.instant());
        List<TurnAction> actions = new ArrayList<>();
        StringBuilder reply = new StringBuilder();
        DeltaBuffer deltas = new DeltaBuffer(
                text -> events.publish(command, traceparent, new TurnDelta(turn.turnId(), text)),
                properties.deltaInterval(),
                properties.deltaChars());
        long inputTokens = 0;
        long outputTokens = 0;
        for (int round = 1; round <= properties.maxRounds(); round++) {
            ModelRequest request = new ModelRequest(
                    endpoint.baseUrl(),
                    endpoint.apiKey(),
                    endpoint.model(),
                    properties.maxTokens(),
                    system,
                    transcript,
                    ConversationTools.DEFINITIONS);
            boolean[] first = {true};
            boolean separate = !reply.isEmpty();
            ModelResponse response = models.complete(endpoint.provider(), request, text -> {
                if (first[0] && separate) {
                    deltas.append("\n\n");
                }
                first[0] = false;
                deltas.append(text);
            });
            deltas.flush();
            inputTokens += response.inputTokens();
            outputTokens += response.outputTokens();
            if (!response.text().isEmpty()) {
                reply.append(separate ? "\n\n" : "").append(response.text());
            }
            if (!response.wantsToolResults()) {
                Usage usage = new Usage(
                        inputTokens,
                        outputTokens,
                        Duration.between(started, clock.instant()).toSeconds(),
                        null);
                log.info(
                        "Turn {} of conversation {} completed after {} model calls with {} actions.",
                        turn.turnId(),
                        command.aggregateId(),
                        round,
                        actions.size());
                return new TurnCompleted(turn.turnId(), reply.toString(), actions, usage);
            }
            List<ToolResult> results = new ArrayList<>();
            for (ToolCall call : response.toolCalls()) {
                Outcome outcome = tools.check(call.name(), call.input());
                String error = null;
                if (outcome instanceof Accepted accepted) {
                    actions.add(accepted.action());
                } else {
                    error = outcome.result();
                    log.info("Turn {} refused a {} call: {}", turn.turnId(), call.name(), error);
                }
                events.publish(
                        command, traceparent, new TurnToolCalled(turn.turnId(), call.name(), call.input(), error));
                results.add(new ToolResult(call.id(), outcome.result(), error != null));
            }
            transcript.add(new AssistantToolCalls(response.text(), response.toolCalls()));
            transcript.add(new ToolResults(results));
        }
        return new TurnFailed(
                turn.turnId(),
                TurnFailed.TOO_MANY_ROUNDS,
                "The model was still calling tools after " + properties.maxRounds() + " calls");
    }

    private boolean sendTerminal(Envelope<RunTurn> command, @Nullable String traceparent, ConversationEvent event) {
        try {
            events.publish(command, traceparent, event).get(TERMINAL_SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            log.error(
                    "The terminal event of turn {} could not be sent; the command goes back to the queue.",
                    command.payload().turnId(),
                    e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
