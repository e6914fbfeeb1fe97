package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.Usage;
import dev.agentry.scheduler.ApiSchema;
import dev.agentry.scheduler.SchedulerApplication;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What webhook tests run against: a PostgreSQL database with the API's real migrations (all of them, applied by
 * Flyway from api-service's files, {@link ApiSchema}, so that the tables can never drift from a copy), the embedded Kafka broker, and scheduler contexts
 * started and closed by the tests themselves (so a test can restart one).
 */
final class WebhookPlatform implements AutoCloseable {

    static final String SEALING_KEYS = SecretSealer.newSpec("k1");
    static final SecretSealer SEALER = SecretSealer.fromSpec(SEALING_KEYS);
    private static final MessageCodec codec = new MessageCodec();

    final TestDatabase.Database database = TestDatabase.create();
    final JdbcClient jdbc;
    private final KafkaProducer<String, byte[]> producer;
    private final String group = "webhooks-test-" + UUID.randomUUID();

    WebhookPlatform() {
        ApiSchema.migrate(database);
        jdbc = JdbcClient.create(new DriverManagerDataSource(database.url(), database.username(), database.password()));
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /** Starts a scheduler with test settings: a short retry schedule, no jitter, 127.0.0.0/8 allowed. */
    ConfigurableApplicationContext startScheduler(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password(),
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--server.port=0",
                "--jobrunr.dashboard.enabled=false",
                "--jobrunr.background-job-server.poll-interval-in-seconds=5",
                "--agentry.secrets.sealing-keys=" + SEALING_KEYS,
                "--agentry.scheduler.reaper.enabled=false",
                "--agentry.scheduler.webhooks.consumer-group=" + group,
                "--agentry.scheduler.webhooks.retry-schedule=0s,200ms,200ms,200ms,200ms",
                "--agentry.scheduler.webhooks.jitter=0",
                "--agentry.scheduler.webhooks.attempt-timeout=1500ms",
                "--agentry.scheduler.webhooks.connect-timeout=500ms",
                "--agentry.scheduler.webhooks.allowed-networks=127.0.0.0/8,::1/128",
                "--agentry.scheduler.webhooks.sweep-interval=100ms",
                "--agentry.scheduler.webhooks.overdue-after=500ms",
                "--agentry.scheduler.webhooks.missing-task-wait=0s"));
        args.addAll(List.of(extra));
        // A later --name=value replaces an earlier one (Spring would join repeated names into a list).
        Map<String, String> byName = new java.util.LinkedHashMap<>();
        args.forEach(arg -> byName.put(arg.substring(0, arg.indexOf('=')), arg));
        return SchedulerApplication.builder().run(byName.values().toArray(String[]::new));
    }

    String newTenant() {
        String tenant = "tenant-" + UUID.randomUUID();
        jdbc.sql("insert into tenants (id, name) values (?, ?)")
                .params(tenant, tenant)
                .update();
        return tenant;
    }

    /** Gives the tenant a signing secret the test knows, as the API's rotate endpoint would. */
    String setSecret(String tenant) {
        String secret = SigningSecrets.generate();
        jdbc.sql("insert into webhook_secrets (tenant_id, secret_sealed, created_at) values (?, ?, now())")
                .params(tenant, SEALER.seal(secret).value())
                .update();
        return secret;
    }

    UUID newTask(String tenant, String callbackUrl) {
        return newTask(UUID.randomUUID(), tenant, callbackUrl, null);
    }

    /** A task row as the API writes it; {@code webhookEvents} null follows the tenant's subscription. */
    UUID newTask(UUID task, String tenant, String callbackUrl, @Nullable List<String> webhookEvents) {
        Instant now = Instant.now();
        jdbc.sql("""
                        insert into tasks (id, tenant_id, status, repo_url, prompt, current_prompt, callback_url,
                                           config, runtime, timeout_seconds, trace_id, created_at, updated_at,
                                           webhook_events)
                        values (?, ?, 'running', 'https://example.com/r.git', 'p', 'p', ?, '{}'::jsonb, 'echo',
                                600, ?, ?, ?, ?)""")
                .params(
                        task,
                        tenant,
                        callbackUrl,
                        "4bf92f3577b34da6a3ce929d0e0e4736",
                        now.atOffset(ZoneOffset.UTC),
                        now.atOffset(ZoneOffset.UTC),
                        webhookEvents == null ? null : webhookEvents.toArray(String[]::new))
                .update();
        return task;
    }

    /** Subscribes the tenant to exactly these event types, as {@code PUT /api/v1/webhooks/settings} does. */
    void subscribe(String tenant, String... eventTypes) {
        jdbc.sql("insert into webhook_settings (tenant_id, event_types, updated_at) values (?, ?, now())")
                .params(tenant, eventTypes)
                .update();
    }

    Envelope<TaskEvent> completed(UUID task, String tenant) {
        return new Envelope<>(
                UUID.randomUUID(),
                TaskCompleted.TYPE,
                task,
                tenant,
                Instant.now(),
                Envelope.SCHEMA_VERSION,
                new TaskCompleted(
                        1,
                        "Task completed successfully.",
                        new Usage(1500, 500, 120, null),
                        new ChangesSummary(3, 45, 12),
                        null));
    }

    void publish(Envelope<? extends TaskEvent> envelope) {
        publish(envelope, null);
    }

    /** Publishes to the given partition (null: the key's), to put events of several tasks in one consumer batch. */
    void publish(Envelope<? extends TaskEvent> envelope, @Nullable Integer partition) {
        publish(Topics.TASK_EVENTS, envelope, partition);
    }

    /** Publishes a conversation notice as the API's outbox does. */
    void publishNotice(Envelope<? extends dev.agentry.events.conversation.ConversationNotice> envelope) {
        publish(Topics.CONVERSATION_NOTICES, envelope, null);
    }

    private void publish(String topic, Envelope<?> envelope, @Nullable Integer partition) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, partition, envelope.key(), codec.encode(envelope));
        record.headers()
                .add(Headers.MESSAGE_ID, envelope.id().toString().getBytes(StandardCharsets.UTF_8))
                .add(Headers.MESSAGE_TYPE, envelope.type().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits until this platform's schedulers have consumed and committed everything published to the events topic so
     * far, so a test can assert that an event created no delivery.
     */
    void awaitAllConsumed() {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.TASK_EVENTS))
                    .allTopicNames()
                    .get()
                    .get(Topics.TASK_EVENTS)
                    .partitions()
                    .forEach(p ->
                            latest.put(new TopicPartition(Topics.TASK_EVENTS, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get();
                return ends.entrySet().stream()
                        .allMatch(end -> end.getValue() == 0
                                || committed.get(end.getKey()) != null
                                        && committed.get(end.getKey()).offset() >= end.getValue());
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    record DeliveryRow(UUID id, String status, int attempts, boolean manual) {}

    List<DeliveryRow> deliveriesOf(UUID task) {
        return jdbc.sql("select id, status, attempts, manual from webhook_deliveries where task_id = ?")
                .param(task)
                .query((rs, n) -> new DeliveryRow(
                        rs.getObject("id", UUID.class),
                        rs.getString("status"),
                        rs.getInt("attempts"),
                        rs.getBoolean("manual")))
                .list();
    }

    record AttemptRow(int number, Integer statusCode, String error, boolean manual) {}

    List<AttemptRow> attemptsOf(UUID delivery) {
        return jdbc.sql("""
                        select number, status_code, error, manual from webhook_attempts
                         where delivery_id = ? order by number""")
                .param(delivery)
                .query((rs, n) -> new AttemptRow(
                        rs.getInt("number"),
                        (Integer) rs.getObject("status_code"),
                        rs.getString("error"),
                        rs.getBoolean("manual")))
                .list();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
