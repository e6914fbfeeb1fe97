package dev.agentry.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The Kafka 4.2 share-group behaviour the worker's queue is built on, pinned against a real broker so an upgrade
 * that changes it fails here first, not in production.
 */
class ShareGroupContractTest {

    @Test
    void aRenewedRecordComesBackFromTheNextPollAndStaysWithItsConsumerPastTheLock() throws Exception {
        String topic = "contract.renew";
        String group = "contract-renew";
        configureGroup(group, 2000);
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            // Produced before the group ever consumed: only share.auto.offset.reset=earliest delivers it.
            producer.send(new ProducerRecord<>(topic, "k", "first")).get();
            producer.send(new ProducerRecord<>(topic, "k", "second")).get();
        }
        try (var holder = consumer(group);
                var other = consumer(group)) {
            holder.subscribe(List.of(topic));
            other.subscribe(List.of(topic));
            ConsumerRecord<String, String> held = pollOne(holder, Duration.ofSeconds(20));
            assertThat(held).isNotNull();
            assertThat(held.value()).isEqualTo("first");
            assertThat(held.deliveryCount()).contains((short) 1);

            Instant until = Instant.now().plusMillis(5000);
            while (Instant.now().isBefore(until)) {
                holder.acknowledge(held, AcknowledgeType.RENEW);
                holder.commitSync();
                ConsumerRecord<String, String> again = pollOne(holder, Duration.ofSeconds(2));
                assertThat(again).as("the renewed record is returned again").isNotNull();
                assertThat(again.offset()).isEqualTo(held.offset());
                held = again;
                // Meanwhile another consumer of the group gets the next record, never the held one.
                ConsumerRecord<String, String> elsewhere = pollOne(other, Duration.ofMillis(300));
                if (elsewhere != null) {
                    assertThat(elsewhere.value()).isEqualTo("second");
                    other.acknowledge(elsewhere, AcknowledgeType.RELEASE);
                    other.commitSync();
                }
            }
            assertThat(held.deliveryCount()).as("renewal is not a redelivery").contains((short) 1);
            holder.acknowledge(held, AcknowledgeType.ACCEPT);
            assertThat(holder.commitSync().values()).allMatch(error -> error.isEmpty());
        }
    }

    private static void configureGroup(String group, long lockMs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, group),
                            List.of(
                                    new AlterConfigOp(
                                            new ConfigEntry("share.auto.offset.reset", "earliest"),
                                            AlterConfigOp.OpType.SET),
                                    new AlterConfigOp(
                                            new ConfigEntry("share.record.lock.duration.ms", Long.toString(lockMs)),
                                            AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
    }

    private static KafkaShareConsumer<String, String> consumer(String group) {
        return new KafkaShareConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "group.id",
                        group,
                        "share.acknowledgement.mode",
                        "explicit",
                        "share.acquire.mode",
                        "record_limit",
                        "max.poll.records",
                        1),
                new StringDeserializer(),
                new StringDeserializer());
    }

    private static @Nullable ConsumerRecord<String, String> pollOne(
            KafkaShareConsumer<String, String> consumer, Duration limit) {
        Instant until = Instant.now().plus(limit);
        while (Instant.now().isBefore(until)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                return record;
            }
        }
        return null;
    }
}
