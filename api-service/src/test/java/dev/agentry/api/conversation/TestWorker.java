package dev.agentry.api.conversation;

import dev.agentry.events.Envelope;
import dev.agentry.events.Message;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The test plays the worker (and the scheduler): it reads the {@code RunTurn} commands the API publishes through its
 * outbox and publishes turn events and firings on the real topics, as the other services do.
 */
final class TestWorker implements AutoCloseable {

    private static final MessageCodec CODEC = new MessageCodec();

    private final KafkaConsumer<String, byte[]> commands;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Envelope<RunTurn>> seen = new ArrayList<>();

    TestWorker() {
        commands = new KafkaConsumer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "enable.auto.commit", "false"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        !commands.partitionsFor(Topics.CONVERSATION_COMMANDS).isEmpty());
        List<TopicPartition> partitions = commands.partitionsFor(Topics.CONVERSATION_COMMANDS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        commands.assign(partitions);
        commands.seekToBeginning(partitions);
        producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The next command for the conversation not taken before, waiting for it to arrive. */
    Envelope<RunTurn> nextCommand(String conversationId) {
        Envelope<RunTurn>[] found = new Envelope[1];
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            found[0] = take(conversationId);
            return found[0] != null;
        });
        return found[0];
    }

    /** Every command for the conversation that has arrived so far (including those taken). */
    List<RunTurn> commandsFor(String conversationId) {
        poll();
        return seen.stream()
                .filter(e -> e.aggregateId().toString().equals(conversationId))
                .map(Envelope::payload)
                .toList();
    }

    private final List<Envelope<RunTurn>> taken = new ArrayList<>();

    private Envelope<RunTurn> take(String conversationId) {
        poll();
        for (Envelope<RunTurn> envelope : seen) {
            if (envelope.aggregateId().toString().equals(conversationId) && !taken.contains(envelope)) {
                taken.add(envelope);
                return envelope;
            }
        }
        return null;
    }

    private void poll() {
        for (ConsumerRecord<String, byte[]> record : commands.poll(Duration.ofMillis(200))) {
            if (CODEC.decodeConversationCommand(record.value()).payload() instanceof RunTurn) {
                @SuppressWarnings("unchecked")
                Envelope<RunTurn> run = (Envelope<RunTurn>) (Envelope<?>) CODEC.decode(record.value());
                seen.add(run);
            }
        }
    }

    void publish(Envelope<RunTurn> command, Message event) {
        publish(Topics.CONVERSATION_EVENTS, Envelope.of(command.aggregateId(), command.tenantId(), event));
    }

    void publish(String topic, Envelope<? extends Message> envelope) {
        try {
            producer.send(new ProducerRecord<>(topic, envelope.key(), CODEC.encode(envelope)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish " + envelope.type(), e);
        }
    }

    static UUID id(String value) {
        return UUID.fromString(value);
    }

    @Override
    public void close() {
        commands.close();
        producer.close();
    }
}
