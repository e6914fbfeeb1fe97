package dev.agentry.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Headers;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.worker.queue.CommandHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * A second kind of command on a topic of its own, served by the same queue slots as {@code task.run}: what a
 * feature such as seed 003's conversation turns gets from one {@link CommandHandler} bean.
 */
class CommandQueueTest {

    @Test
    void aSecondCommandTopicGetsSlotsRedeliveryDeduplicationAndDeadLettersFromOneHandlerBean() throws Exception {
        Echoes echoes = new Echoes("agentry.test.echoes." + UUID.randomUUID());
        ConfigurableApplicationContext worker = WorkerApplication.builder()
                .initializers(context -> ((GenericApplicationContext) context).registerBean(Echoes.class, () -> echoes))
                .run(Workers.properties("worker-echoes").entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        try (TaskTopics topics = new TaskTopics()) {
            String firstId = UUID.randomUUID().toString();
            topics.sendRaw(record(echoes.topic(), "first", firstId));
            topics.sendRaw(record(echoes.topic(), "!not an echo"));
            topics.sendRaw(record(echoes.topic(), "again", UUID.randomUUID().toString()));
            topics.sendRaw(record(echoes.topic(), "last"));
            // The relay sends "first" again (a crash between send and delete): same envelope id, another record.
            topics.sendRaw(record(echoes.topic(), "first", firstId));

            // "again" is released on its first delivery and runs on its second; the copy of "first" never runs.
            MeterRegistry meters = worker.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(echoes.done).containsExactlyInAnyOrder("first@1", "again@2", "last@1");
                assertThat(meters.find("agentry.worker.duplicates")
                                .tag("topic", echoes.topic())
                                .counter())
                        .isNotNull()
                        .satisfies(c -> assertThat(c.count()).isEqualTo(1));
            });
            assertThat(new String(
                            TaskTopics.awaitDeadLetter(echoes.topic(), "!not an echo")
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("!not an echo");
            assertThat(worker.getBean(MeterRegistry.class)
                            .get("agentry.worker.dead.letters")
                            .tag("topic", echoes.topic())
                            .counter()
                            .count())
                    .isEqualTo(1);
        } finally {
            worker.close();
        }
    }

    private static ProducerRecord<String, byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, value, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A record carrying an envelope id header, as the outbox relay sends it. */
    private static ProducerRecord<String, byte[]> record(String topic, String value, String messageId) {
        ProducerRecord<String, byte[]> record = record(topic, value);
        record.headers().add(Headers.MESSAGE_ID, messageId.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Echo commands: a value starting with {@code !} is undecodable; {@code again} asks to be delivered again. */
    static final class Echoes implements CommandHandler<String> {

        private final String topic;
        final List<String> done = new CopyOnWriteArrayList<>();

        Echoes(String topic) {
            this.topic = topic;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public int partitions() {
            return 1;
        }

        @Override
        public int slots() {
            return 1;
        }

        @Override
        public String decode(byte[] value) {
            String text = new String(value, StandardCharsets.UTF_8);
            if (text.startsWith("!")) {
                throw new UndecodableMessageException("not an echo");
            }
            return text;
        }

        @Override
        public Outcome run(String command, Delivery delivery) {
            if (command.equals("again") && delivery.attempt() == 1) {
                return Outcome.RELEASE;
            }
            done.add(command + "@" + delivery.attempt());
            return Outcome.ACCEPT;
        }

        @Override
        public void abandonAll() {}
    }
}
