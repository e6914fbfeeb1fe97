package dev.agentry.worker;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The test's side of the conversation topics: sends {@code conversation.turn} commands as the API's outbox relay
 * would, and records every turn event, raw bytes included for leak checks.
 */
final class ConversationTopics implements AutoCloseable {

    private static final MessageCodec CODEC = new MessageCodec();

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final Map<UUID, List<ConversationEvent>> events = new ConcurrentHashMap<>();
    private final List<String> raw = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;

    ConversationTopics() {
        String bootstrap = TestKafka.bootstrapServers();
        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "group.id",
                        "test-conversation-events-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.CONVERSATION_EVENTS));
        reader = Thread.ofPlatform().name("test-conversation-reader").daemon().start(this::read);
    }

    /** Sends the turn for a new conversation; returns the command's raw bytes. */
    String send(UUID conversationId, RunTurn turn) {
        Envelope<RunTurn> envelope = Envelope.of(conversationId, "tenant-test", turn);
        byte[] bytes = CODEC.encode(envelope);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.CONVERSATION_COMMANDS, envelope.key(), bytes);
        record.headers().add(Headers.MESSAGE_ID, envelope.id().toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(Headers.MESSAGE_TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
        sendRaw(record);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void sendRaw(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    List<ConversationEvent> events(UUID turnId) {
        return List.copyOf(events.getOrDefault(turnId, List.of()));
    }

    /** Every event record seen so far, as text. */
    String allBytes() {
        return String.join("\n", raw);
    }

    private void read() {
        try {
            while (open) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    raw.add(new String(record.value(), StandardCharsets.UTF_8));
                    ConversationEvent event =
                            CODEC.decodeConversationEvent(record.value()).payload();
                    events.computeIfAbsent(event.turnId(), id -> new CopyOnWriteArrayList<>())
                            .add(event);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        consumer.wakeup();
        reader.join(Duration.ofSeconds(10));
        producer.close();
    }
}
