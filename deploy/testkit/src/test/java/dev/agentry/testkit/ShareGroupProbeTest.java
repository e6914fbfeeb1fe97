package dev.agentry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.Test;

class ShareGroupProbeTest {

    @Test
    void shareGroupsWorkOnTheTestBroker() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.GROUP, "probe"),
                            List.of(
                                    new AlterConfigOp(
                                            new ConfigEntry("share.auto.offset.reset", "earliest"),
                                            AlterConfigOp.OpType.SET),
                                    new AlterConfigOp(
                                            new ConfigEntry("share.record.lock.duration.ms", "2000"),
                                            AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        try (var producer = new KafkaProducer<String, String>(
                Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("probe", "k", "v")).get();
            producer.send(new ProducerRecord<>("probe", "k2", "v2")).get();
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "probe");
        p.put("share.acknowledgement.mode", "explicit");
        p.put("max.poll.records", "1");
        p.put("share.acquire.mode", "record_limit");
        try (var consumer = new KafkaShareConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("probe"));
            ConsumerRecord<String, String> got = null;
            long end = System.currentTimeMillis() + 20000;
            while (got == null && System.currentTimeMillis() < end) {
                for (var r : consumer.poll(Duration.ofMillis(500))) {
                    got = r;
                }
            }
            assertThat(got).isNotNull();
            System.out.println(
                    "delivery count " + got.deliveryCount() + " lock " + consumer.acquisitionLockTimeoutMs());
            // renew past the lock duration
            for (int i = 0; i < 4; i++) {
                Thread.sleep(1000);
                consumer.acknowledge(got, AcknowledgeType.RENEW);
                System.out.println("renew commit " + consumer.commitSync());
                var polled = consumer.poll(Duration.ofMillis(300));
                for (var r : polled) {
                    System.out.println(
                            "renew " + i + " polled " + r.key() + " offset " + r.offset() + " dc " + r.deliveryCount());
                    if (r.offset() == got.offset()) got = r;
                    else consumer.acknowledge(r, AcknowledgeType.RELEASE);
                }
                if (polled.isEmpty()) System.out.println("renew " + i + " polled nothing");
            }
            consumer.acknowledge(got, AcknowledgeType.ACCEPT);
            System.out.println("accept " + consumer.commitSync());
            var again = consumer.poll(Duration.ofMillis(2000));
            System.out.println("after accept poll count " + again.count());
        }
    }
}
