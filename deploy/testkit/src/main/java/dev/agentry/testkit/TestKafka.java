package dev.agentry.testkit;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker per test JVM: an embedded KRaft broker (combined controller and broker) with share
 * groups usable on a single node, and acquisition locks short enough that lock renewal is exercised.
 */
public final class TestKafka {

    private static volatile EmbeddedKafkaBroker broker;

    public static synchronized EmbeddedKafkaBroker broker() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, 4);
            b.brokerProperties(brokerProperties());
            b.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(b::destroy));
            broker = b;
        }
        return broker;
    }

    public static String bootstrapServers() {
        return broker().getBrokersAsString();
    }

    /** Broker settings for a one-node cluster, shared with anything that starts its own test broker. */
    public static Map<String, String> brokerProperties() {
        return Map.of(
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.share.min.record.lock.duration.ms", "1000",
                "group.initial.rebalance.delay.ms", "0",
                "auto.create.topics.enable", "true");
    }

    private TestKafka() {}
}
