package dev.agentry.scheduler.webhook;

import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.network.AddressPolicy;
import dev.agentry.events.secret.SecretSealer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
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
    IntakeDeadLetters webhookIntakeDeadLetters(JdbcClient jdbc, MessageCodec codec, MeterRegistry meters) {
        return new IntakeDeadLetters(jdbc, codec, meters);
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
     * yet is retried from that record on (1 s apart, for up to {@code missing-task-wait}); the records before it are
     * done and committed. A record that does not decode is set aside at once, and one the intake cannot store while
     * the database answers (found by applying the batch again one event at a time) is tried 3 times: both go to
     * {@code dead_letters} (stage {@code webhook-intake}, {@link IntakeDeadLetters}) and the partition moves on.
     * While the database is unreachable the batch is retried every 2 s without end.
     */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> webhookEventsContainer(
            KafkaProperties kafka,
            WebhookProperties properties,
            MessageCodec codec,
            TaskEventIntake intake,
            IntakeDeadLetters deadLetters,
            JdbcClient jdbc,
            @Value("${agentry.scheduler.webhooks.consumer-concurrency:2}") int consumerConcurrency) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentry-scheduler-webhooks");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        DefaultKafkaConsumerFactory<String, byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties container = new ContainerProperties(Topics.TASK_EVENTS);
        container.setMessageListener((BatchMessageListener<String, byte[]>)
                records -> IntakeBatches.onBatch(records, codec, intake, deadLetters, jdbc));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        // Events of one task stay on one partition, so consumers in parallel keep each task's order.
        listener.setConcurrency(consumerConcurrency);
        long missingTaskAttempts = properties.missingTaskWait().toSeconds();
        listener.setCommonErrorHandler(IntakeBatches.intakeErrors(
                IntakeDeadLetters.TASK_EVENTS,
                deadLetters,
                (record, failure) -> IntakeBatches.causedBy(failure, TaskEventIntake.TaskNotYetVisibleException.class)
                        ? new FixedBackOff(1000L, missingTaskAttempts)
                        : null));
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
            KafkaProperties kafka,
            WebhookProperties properties,
            MessageCodec codec,
            ConversationNoticeIntake intake,
            IntakeDeadLetters deadLetters,
            JdbcClient jdbc) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup() + "-conversations");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentry-scheduler-conversation-webhooks");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        DefaultKafkaConsumerFactory<String, byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties container = new ContainerProperties(Topics.CONVERSATION_NOTICES);
        container.setMessageListener((BatchMessageListener<String, byte[]>)
                records -> IntakeBatches.onNotices(records, codec, intake, deadLetters, jdbc));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        listener.setCommonErrorHandler(IntakeBatches.intakeErrors(
                IntakeDeadLetters.CONVERSATION_NOTICES, deadLetters, (record, failure) -> null));
        return listener;
    }
}
