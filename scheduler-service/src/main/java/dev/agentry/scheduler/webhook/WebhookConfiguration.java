package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.conversation.ConversationNotice;
import dev.agentry.events.network.AddressPolicy;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskStarted;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Webhook delivery, on when {@code agentry.scheduler.webhooks.enabled} (default) and the sealing key ring
 * {@code agentry.secrets.sealing-keys} is set (the tenants' signing secrets are sealed with it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(WebhookConfiguration.ON)
class WebhookConfiguration {

    static final String ON = "${agentry.scheduler.webhooks.enabled:true} and '${agentry.secrets.sealing-keys:}' != ''";

    private static final Logger log = LoggerFactory.getLogger(WebhookConfiguration.class);
    /** The task event (Kafka message) types that become webhooks; see {@link WebhookPayloads#eventTypes}. */
    private static final Set<String> WEBHOOK_TYPES =
            Set.of(TaskStarted.TYPE, TaskCompleted.TYPE, TaskFailed.TYPE, TaskPullRequestCreated.TYPE);

    @Bean
    Deliveries webhookDeliveries(JdbcClient jdbc) {
        return new Deliveries(jdbc);
    }

    @Bean
    CallbackTasks webhookCallbackTasks(JdbcClient jdbc) {
        return new CallbackTasks(jdbc);
    }

    @Bean
    Endpoints webhookEndpoints(JdbcClient jdbc) {
        return new Endpoints(jdbc);
    }

    @Bean
    DeliveryBacklog webhookBacklog(JdbcClient jdbc, Clock clock) {
        return new DeliveryBacklog(jdbc, clock, Duration.ofSeconds(5));
    }

    @Bean
    SigningSecrets webhookSigningSecrets(JdbcClient jdbc, @Value("${agentry.secrets.sealing-keys}") String keys) {
        return new SigningSecrets(jdbc, SecretSealer.fromSpec(keys));
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(WebhookProperties properties, Clock clock) {
        return new WebhookSender(new AddressPolicy(properties.allowedNetworks()), properties, clock);
    }

    @Bean(destroyMethod = "close")
    WebhookDispatcher webhookDispatcher(
            Deliveries deliveries,
            Endpoints endpoints,
            SigningSecrets secrets,
            WebhookSender sender,
            WebhookProperties properties,
            JobScheduler jobScheduler,
            Clock clock,
            MeterRegistry meters) {
        log.info(
                "Webhook delivery is on: retry schedule {}, attempt timeout {}, private networks allowed: {}.",
                properties.retrySchedule(),
                properties.attemptTimeout(),
                properties.allowedNetworks().isEmpty() ? "none" : properties.allowedNetworks());
        return new WebhookDispatcher(deliveries, endpoints, secrets, sender, properties, jobScheduler, clock, meters);
    }

    @Bean
    WebhookJobs webhookJobs(WebhookDispatcher dispatcher) {
        return new WebhookJobs(dispatcher);
    }

    @Bean
    DeliverySweeper webhookSweeper(
            Deliveries deliveries, WebhookDispatcher dispatcher, WebhookProperties properties, Clock clock) {
        return new DeliverySweeper(deliveries, dispatcher, properties, clock);
    }

    @Bean
    TaskEventIntake webhookIntake(
            CallbackTasks tasks,
            Endpoints endpoints,
            Deliveries deliveries,
            WebhookDispatcher dispatcher,
            WebhookProperties properties,
            Clock clock) {
        return new TaskEventIntake(tasks, endpoints, deliveries, dispatcher, properties, clock);
    }

    /**
     * Its own consumer group on {@code agentry.task.events}, from the earliest offset when the group is new so that no
     * terminal event published before the first start is missed. Records come in batches (a few queries a batch, not
     * a few an event); records of other types are skipped without decoding. A record whose task row is not visible
     * yet is retried from that record on (1 s apart, for up to {@code missing-task-wait}) before it is logged and
     * skipped; the records before it are done and committed. While the database is unreachable the batch is retried
     * every 2 s without end.
     */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> webhookEventsContainer(
            KafkaProperties kafka,
            WebhookProperties properties,
            MessageCodec codec,
            TaskEventIntake intake,
            @Value("${agentry.scheduler.webhooks.consumer-concurrency:2}") int consumerConcurrency) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentry-scheduler-webhooks");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        DefaultKafkaConsumerFactory<String, byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties container = new ContainerProperties(Topics.TASK_EVENTS);
        container.setMessageListener((BatchMessageListener<String, byte[]>) records -> onBatch(records, codec, intake));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        // Events of one task stay on one partition, so consumers in parallel keep each task's order.
        listener.setConcurrency(consumerConcurrency);
        DefaultErrorHandler errors = new DefaultErrorHandler(
                new FixedBackOff(1000L, properties.missingTaskWait().toSeconds()));
        errors.addNotRetryableExceptions(UndecodableMessageException.class);
        // Without the database nothing can be delivered; the events wait, however long it is away, and none is skipped.
        errors.setBackOffFunction((record, failure) -> causedBy(failure, DataAccessException.class)
                ? new FixedBackOff(2000L, FixedBackOff.UNLIMITED_ATTEMPTS)
                : null);
        listener.setCommonErrorHandler(errors);
        return listener;
    }

    @Bean
    ConversationNoticeIntake conversationNoticeIntake(
            CallbackTasks tasks, TaskEventIntake intake, WebhookProperties properties, Clock clock) {
        return new ConversationNoticeIntake(tasks, intake, properties, clock);
    }

    /**
     * Its own consumer group ({@code consumer-group} + {@code -conversations}) on {@code agentry.conversation.notices},
     * from the earliest offset when new, in batches like the task events. There is no row to wait for (the notice
     * carries all its body needs); while the database is unreachable the batch is retried every 2 s without end.
     */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> webhookConversationNoticesContainer(
            KafkaProperties kafka, WebhookProperties properties, MessageCodec codec, ConversationNoticeIntake intake) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup() + "-conversations");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentry-scheduler-conversation-webhooks");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        DefaultKafkaConsumerFactory<String, byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties container = new ContainerProperties(Topics.CONVERSATION_NOTICES);
        container.setMessageListener(
                (BatchMessageListener<String, byte[]>) records -> onNotices(records, codec, intake));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        DefaultErrorHandler errors = new DefaultErrorHandler(new FixedBackOff(2000L, FixedBackOff.UNLIMITED_ATTEMPTS));
        errors.addNotRetryableExceptions(UndecodableMessageException.class);
        listener.setCommonErrorHandler(errors);
        return listener;
    }

    private static void onNotices(
            List<ConsumerRecord<String, byte[]>> records, MessageCodec codec, ConversationNoticeIntake intake) {
        List<Envelope<? extends ConversationNotice>> notices = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            Envelope<?> envelope;
            try {
                envelope = codec.decode(record.value());
            } catch (UndecodableMessageException e) {
                log.debug("Skipping a conversation notice the webhook consumer cannot read at {}.", record.offset());
                continue;
            }
            if (envelope.payload() instanceof ConversationNotice) {
                @SuppressWarnings("unchecked")
                Envelope<? extends ConversationNotice> notice = (Envelope<? extends ConversationNotice>) envelope;
                notices.add(notice);
            }
        }
        try {
            intake.accept(notices);
        } catch (DataAccessException e) {
            log.warn(
                    "Conversation webhook intake cannot reach the database ({}); retrying.",
                    e.getMostSpecificCause().getMessage());
            throw new BatchListenerFailedException("The database is unavailable", e, 0);
        }
    }

    private static void onBatch(
            List<ConsumerRecord<String, byte[]>> records, MessageCodec codec, TaskEventIntake intake) {
        List<Envelope<? extends TaskEvent>> events = new ArrayList<>(records.size());
        Map<UUID, Integer> positions = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Header type = record.headers().lastHeader(Headers.MESSAGE_TYPE);
            if (type != null && !WEBHOOK_TYPES.contains(new String(type.value(), StandardCharsets.UTF_8))) {
                continue;
            }
            Envelope<?> envelope;
            try {
                envelope = codec.decode(record.value());
            } catch (UndecodableMessageException e) {
                log.debug("Skipping a record the webhook consumer cannot read at offset {}.", record.offset());
                continue;
            }
            if (envelope.payload() instanceof TaskEvent) {
                @SuppressWarnings("unchecked")
                Envelope<? extends TaskEvent> event = (Envelope<? extends TaskEvent>) envelope;
                events.add(event);
                positions.putIfAbsent(event.id(), i);
            }
        }
        try {
            intake.accept(events);
        } catch (TaskEventIntake.TaskNotYetVisibleException e) {
            throw new BatchListenerFailedException(e.getMessage(), e, positions.get(e.eventId()));
        } catch (DataAccessException e) {
            // Retried from the batch's first record by the error handler (the intake is idempotent).
            log.warn(
                    "Webhook intake cannot reach the database ({}); retrying.",
                    e.getMostSpecificCause().getMessage());
            throw new BatchListenerFailedException("The database is unavailable", e, 0);
        }
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
