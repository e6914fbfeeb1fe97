package dev.agentry.api.conversation;

import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnToolCalled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * This instance's live view of turns in progress, for streaming replies: every instance reads all of
 * {@code agentry.conversation.events} from the end, in a consumer group of its own (a random name per start), and
 * hands text deltas and tool calls to the local streams of their turn. What is stored comes from the projector;
 * this only carries the present, and a stream that misses a delta still ends with the saved message.
 */
@Component
class ConversationLiveFeed {

    private static final Logger log = LoggerFactory.getLogger(ConversationLiveFeed.class);

    private static final int BUFFER = 1024;

    private final MessageCodec codec;
    private final Counter skipped;
    private final Map<UUID, Set<BlockingQueue<ConversationEvent>>> streams = new ConcurrentHashMap<>();

    ConversationLiveFeed(MessageCodec codec, MeterRegistry meters) {
        this.codec = codec;
        this.skipped = Counter.builder("agentry.live_feed.skipped")
                .description("Live feed records this instance could not read and skipped (they carry no state)")
                .tag("feed", "conversation")
                .register(meters);
    }

    BlockingQueue<ConversationEvent> subscribe(UUID turnId) {
        BlockingQueue<ConversationEvent> queue = new ArrayBlockingQueue<>(BUFFER);
        streams.computeIfAbsent(turnId, id -> ConcurrentHashMap.newKeySet()).add(queue);
        return queue;
    }

    void unsubscribe(UUID turnId, BlockingQueue<ConversationEvent> queue) {
        streams.computeIfPresent(turnId, (id, set) -> {
            set.remove(queue);
            return set.isEmpty() ? null : set;
        });
    }

    @KafkaListener(
            id = "conversation-live-feed",
            topics = Topics.CONVERSATION_EVENTS,
            groupId = "#{'agentry-api-conversation-live-' + T(java.util.UUID).randomUUID()}",
            properties = {"auto.offset.reset=latest"},
            batch = "true")
    void onEvents(List<ConsumerRecord<String, byte[]>> records) {
        if (streams.isEmpty()) {
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                ConversationEvent event =
                        codec.decodeConversationEvent(record.value()).payload();
                if (event instanceof TurnDelta || event instanceof TurnToolCalled) {
                    Set<BlockingQueue<ConversationEvent>> queues = streams.get(event.turnId());
                    if (queues != null) {
                        queues.forEach(queue -> queue.offer(event));
                    }
                }
            } catch (RuntimeException e) {
                // Never retried: the live view carries no state (the projector sets the record aside), and a batch
                // retried for one bad record would hold every tenant's live turns back.
                skipped.increment();
                log.debug(
                        "Skipping a live conversation record {}-{}@{}: {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
        }
    }
}
