package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationViews.MessageView;
import dev.agentry.api.owned.Owner;
import dev.agentry.api.owned.SeedJson;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.TurnToolCalled;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /api/conversations/{id}/messages/stream}: the turn of a user message as Server-Sent Events.
 * {@code message} (the saved user message), then {@code delta} ({@code {text}}) as the model writes and
 * {@code tool_call} ({@code {tool, input, error}}) as it calls tools, then {@code done} ({@code {message,
 * conversationUpdated, newStatus}} with the saved assistant message); {@code error} ({@code {error}}) when the
 * turn failed, {@code pending} ({@code {turnId, status: "in_progress"}}) when the wait ran out.
 */
@Component
class TurnStreams {

    private static final Logger log = LoggerFactory.getLogger(TurnStreams.class);

    @SeedJson
    record ToolCall(
            String tool,
            Map<String, Object> input,
            @Nullable String error) {}

    @SeedJson
    record Done(
            MessageView message,
            boolean conversationUpdated,
            @Nullable String newStatus) {}

    /** Put in a stream's queue when its turn may have ended: read it again. */
    private static final ConversationEvent ENDED = new TurnStarted(new UUID(0, 0), "");

    private final TurnService turns;
    private final ConversationLiveFeed feed;
    private final TurnCompletions completions;
    private final ConversationProperties properties;

    TurnStreams(
            TurnService turns,
            ConversationLiveFeed feed,
            TurnCompletions completions,
            ConversationProperties properties) {
        this.turns = turns;
        this.feed = feed;
        this.completions = completions;
        this.properties = properties;
    }

    /** Accepts the message (a 4xx before any event when it cannot), then streams its turn. */
    SseEmitter open(Owner owner, UUID conversationId, @Nullable String content) {
        UUID turnId = UUID.randomUUID();
        BlockingQueue<ConversationEvent> queue = feed.subscribe(turnId);
        TurnService.Accepted accepted;
        try {
            accepted = turns.accept(owner, conversationId, content, turnId);
        } catch (RuntimeException e) {
            feed.unsubscribe(turnId, queue);
            throw e;
        }
        SseEmitter emitter =
                new SseEmitter(properties.turnWait().plusSeconds(10).toMillis());
        Thread.ofVirtual().name("conversation-sse-" + turnId).start(() -> {
            try {
                run(emitter, accepted, queue);
                emitter.complete();
            } catch (IOException e) {
                log.debug("Stream of turn {} ended by the client: {}", turnId, e.getMessage());
                emitter.completeWithError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } finally {
                feed.unsubscribe(turnId, queue);
            }
        });
        return emitter;
    }

    private void run(SseEmitter emitter, TurnService.Accepted accepted, BlockingQueue<ConversationEvent> queue)
            throws IOException, InterruptedException {
        UUID turnId = accepted.turnId();
        emitter.send(SseEmitter.event().name("message").data(MessageView.of(accepted.message())));
        Instant deadline = Instant.now().plus(properties.turnWait());
        arm(turnId, queue);
        boolean check = true;
        while (true) {
            if (check && finished(emitter, turns.read(turnId))) {
                return;
            }
            check = false;
            long left = Duration.between(Instant.now(), deadline).toMillis();
            ConversationEvent event = left <= 0 ? null : queue.poll(left, TimeUnit.MILLISECONDS);
            if (event == null) {
                if (!finished(emitter, turns.read(turnId))) {
                    emitter.send(SseEmitter.event()
                            .name("pending")
                            .data(Map.of("turnId", turnId.toString(), "status", "in_progress")));
                }
                return;
            }
            if (event == ENDED) {
                arm(turnId, queue);
                check = true;
            } else if (event instanceof TurnDelta delta) {
                emitter.send(SseEmitter.event().name("delta").data(Map.of("text", delta.text())));
            } else if (event instanceof TurnToolCalled called) {
                emitter.send(SseEmitter.event()
                        .name("tool_call")
                        .data(new ToolCall(called.tool(), called.input(), called.error())));
            }
        }
    }

    private void arm(UUID turnId, BlockingQueue<ConversationEvent> queue) {
        completions.next(turnId).thenRun(() -> queue.offer(ENDED));
    }

    private static boolean finished(SseEmitter emitter, TurnService.Outcome outcome) throws IOException {
        ConversationTurns.Turn turn = outcome.turn();
        if (!turn.terminal()) {
            return false;
        }
        if (ConversationTurns.FAILED.equals(turn.status()) || outcome.assistantMessage() == null) {
            emitter.send(SseEmitter.event()
                    .name("error")
                    .data(Map.of("error", "The assistant could not answer: " + turn.error())));
            return true;
        }
        emitter.send(SseEmitter.event()
                .name("done")
                .data(new Done(
                        MessageView.of(outcome.assistantMessage()), turn.conversationUpdated(), turn.newStatus())));
        return true;
    }
}
