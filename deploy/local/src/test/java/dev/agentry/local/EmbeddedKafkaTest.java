package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void keepsCommittedRecordsAcrossARestart() throws Exception {
        String topic = "persisted-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            createTopic(kafka, topic);
            produce(kafka, topic, "task-1", "accepted");
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> received = new ArrayList<>();
                await().atMost(WAIT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                    return !received.isEmpty();
                });
                assertThat(received).singleElement().satisfies(record -> {
                    assertThat(record.key()).isEqualTo("task-1");
                    assertThat(record.value()).isEqualTo("accepted");
                });
            }
        }
    }

    @Test
    void deliversRecordsToAShareGroupOnOneNode() throws Exception {
        String topic = "queue-" + UUID.randomUUID();
        String group = "workers-" + UUID.randomUUID();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            createTopic(kafka, topic);
            try (Admin admin = admin(kafka)) {
                admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.GROUP, group),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("share.auto.offset.reset", "earliest"),
                                        AlterConfigOp.OpType.SET))))
                        .all()
                        .get();
            }
            produce(kafka, topic, "task-2", "run me");

            try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
                consumer.subscribe(List.of(topic));
                List<ConsumerRecord<String, String>> received = new ArrayList<>();
                await().atMost(WAIT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                    return !received.isEmpty();
                });
                assertThat(received).extracting(ConsumerRecord::value).containsExactly("run me");
                consumer.commitSync();
            }
        }
    }

    @Test
    void releasesItsPortWhenClosed() {
        EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0);
        String[] hostAndPort = kafka.bootstrapServers().split(":");
        InetSocketAddress address = new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1]));
        assertThat(accepts(address)).isTrue();

        kafka.close();

        assertThat(accepts(address)).isFalse();
    }

    @Test
    void refusesAPortAnotherProcessHoldsBeforeTouchingItsLog() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafka.start(dataDir, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + port + " is already taken")
                    .hasMessageContaining("set AGENTRY_KAFKA_PORT to another port");
        }
        assertThat(dataDir.resolve("meta.properties")).doesNotExist();
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static void createTopic(EmbeddedKafka kafka, String topic) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static void produce(EmbeddedKafka kafka, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }
}
