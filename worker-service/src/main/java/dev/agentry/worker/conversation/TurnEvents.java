package dev.agentry.worker.conversation;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.worker.messaging.TaskEventPublisher;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * A turn's events on {@code agentry.conversation.events}, keyed by the conversation so one conversation's events
 * stay in order on one partition; records and headers are the worker's one publisher's.
 */
@Component
class TurnEvents {

    private final TaskEventPublisher publisher;

    TurnEvents(TaskEventPublisher publisher) {
        this.publisher = publisher;
    }

    CompletableFuture<SendResult<String, byte[]>> publish(
            Envelope<RunTurn> command, @Nullable String traceparent, ConversationEvent event) {
        return publisher.publish(
                Topics.CONVERSATION_EVENTS, command.aggregateId(), command.tenantId(), traceparent, event);
    }
}
