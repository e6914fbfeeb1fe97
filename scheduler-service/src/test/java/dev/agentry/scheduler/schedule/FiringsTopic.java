package dev.agentry.scheduler.schedule;

import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.schedule.ScheduleFired;
import dev.agentry.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything on {@code agentry.schedule.firings} since the topic began, decoded, read a little more on each call. */
final class FiringsTopic implements AutoCloseable {

    /** A decoded firing with the record's key. */
    record Received(String key, Envelope<?> envelope, ScheduleFired fired) {

        UUID conversation() {
            return envelope.aggregateId();
        }

        Instant fireTime() {
            return fired.fireTime();
        }
    }

    private final MessageCodec codec = new MessageCodec();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestKafka.bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false));

    FiringsTopic() {
        // The API declares the topic; here the broker creates it on the first metadata request, a moment later.
        List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> consumer.partitionsFor(Topics.SCHEDULE_FIRINGS, Duration.ofSeconds(5)).stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition()))
                                .toList(),
                        found -> !found.isEmpty());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** The firings of {@code conversation} received so far, in fire time order. */
    synchronized List<Received> of(UUID conversation) {
        poll();
        return received.stream()
                .filter(r -> r.conversation().equals(conversation))
                .sorted(Comparator.comparing(Received::fireTime))
                .toList();
    }

    /** Every firing received so far of any of {@code conversations}. */
    synchronized List<Received> ofAny(Set<UUID> conversations) {
        poll();
        return received.stream()
                .filter(r -> conversations.contains(r.conversation()))
                .toList();
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(record -> {
            Envelope<?> envelope = codec.decodeScheduleCommand(record.value());
            received.add(new Received(record.key(), envelope, (ScheduleFired) envelope.payload()));
        });
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
