package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.MessageCreated;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The webhook intakes serve every tenant: a record they cannot decode, or an event whose delivery cannot be stored,
 * is set aside in {@code dead_letters} (listed and replayed by the API's admin API) and the next record on the
 * partition is still delivered.
 */
class PoisonIntakeTest {

    private static final byte[] GARBAGE = {0, (byte) 0xff, '{'};
    private static WebhookPlatform platform;
    private static ConfigurableApplicationContext scheduler;

    record Letter(String stage, String reason, int attempts, String tenantId) {}

    @BeforeAll
    static void start() {
        platform = new WebhookPlatform();
        scheduler = platform.startScheduler();
    }

    @AfterAll
    static void stop() {
        scheduler.close();
        platform.close();
    }

    @Test
    void aTaskEventThatCannotBeDecodedOrStoredIsSetAsideAndTheNextOneIsDelivered() throws Exception {
        String tenant = platform.newTenant();
        platform.setSecret(tenant);
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Reply.ok())) {
            UUID poisoned = platform.newTask(tenant, receiver.url());
            UUID good = platform.newTask(tenant, receiver.url());
            platform.jdbc
                    .sql("alter table webhook_deliveries add constraint no_poison_for_test check (task_id <> '"
                            + poisoned + "')")
                    .update();
            try {
                // The last partition: other test classes' schedulers (their own databases, this broker) wait for the
                // tasks of these events for their missing-task-wait, and most of them read partition 0.
                int partition = lastPartition();
                publishRaw(Topics.TASK_EVENTS, partition, poisoned.toString());
                platform.publish(platform.completed(poisoned, tenant), partition);
                platform.publish(platform.completed(good, tenant), partition);

                await().atMost(Duration.ofSeconds(30))
                        .until(() -> platform.deliveriesOf(good).stream()
                                .anyMatch(row -> row.status().equals("succeeded")));
                assertThat(platform.deliveriesOf(poisoned)).isEmpty();
                List<Letter> letters = letters(poisoned.toString());
                assertThat(letters).hasSize(2).allMatch(l -> l.stage().equals("webhook-intake"));
                assertThat(letters).anySatisfy(l -> {
                    assertThat(l.reason()).startsWith("Undecodable");
                    assertThat(l.attempts()).isEqualTo(1);
                });
                assertThat(letters).anySatisfy(l -> {
                    assertThat(l.reason()).contains("no_poison_for_test");
                    assertThat(l.attempts()).isEqualTo(IntakeBatches.POISON_ATTEMPTS);
                    assertThat(l.tenantId()).isEqualTo(tenant);
                });
            } finally {
                platform.jdbc
                        .sql("alter table webhook_deliveries drop constraint if exists no_poison_for_test")
                        .update();
            }
        }
    }

    @Test
    void aConversationNoticeThatCannotBeDecodedIsSetAsideAndTheNextOneIsDelivered() throws Exception {
        String tenant = platform.newTenant();
        platform.setSecret(tenant);
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Reply.ok())) {
            platform.jdbc
                    .sql("insert into webhook_settings (tenant_id, event_types, url, updated_at) values (?, ?, ?,"
                            + " now())")
                    .params(tenant, new String[] {"conversation.message.created"}, receiver.url("/conversations"))
                    .update();
            UUID conversation = UUID.randomUUID();
            publishRaw(Topics.CONVERSATION_NOTICES, null, conversation.toString());
            platform.publishNotice(Envelope.of(
                    conversation,
                    tenant,
                    new MessageCreated("user-1", UUID.randomUUID(), "assistant", "Hi.", "worker", Instant.now())));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> receiver.received().size() == 1);
            assertThat(letters(conversation.toString())).singleElement().satisfies(l -> {
                assertThat(l.stage()).isEqualTo("conversation-webhook-intake");
                assertThat(l.reason()).startsWith("Undecodable");
            });
        }
    }

    private static void publishRaw(String topic, Integer partition, String key) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, partition, key, GARBAGE)).get();
        }
    }

    private static int lastPartition() {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            return producer.partitionsFor(Topics.TASK_EVENTS).size() - 1;
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static List<Letter> letters(String key) {
        return platform.jdbc
                .sql("select stage, reason, attempts, tenant_id from dead_letters where msg_key = ? order by id")
                .param(key)
                .query((rs, n) -> new Letter(
                        rs.getString("stage"),
                        rs.getString("reason"),
                        rs.getInt("attempts"),
                        rs.getString("tenant_id")))
                .list();
    }
}
