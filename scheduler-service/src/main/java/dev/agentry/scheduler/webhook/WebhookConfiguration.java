package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskStarted;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionOperations;
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
    private static final Set<String> WEBHOOK_TYPES =
            Set.of(TaskStarted.TYPE, TaskCompleted.TYPE, TaskFailed.TYPE, TaskPullRequestCreated.TYPE);

    @Bean
    Deliveries webhookDeliveries(JdbcClient jdbc, TransactionOperations transactions) {
        return new Deliveries(jdbc, transactions);
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
        return new WebhookDispatcher(deliveries, secrets, sender, properties, jobScheduler, clock, meters);
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
            Deliveries deliveries, WebhookDispatcher dispatcher, WebhookProperties properties, Clock clock) {
        return new TaskEventIntake(deliveries, dispatcher, properties, clock);
    }

    /**
     * Its own consumer group on {@code agentry.task.events}, from the earliest offset when the group is new so that no
     * terminal event published before the first start is missed. A record whose task row is not visible yet is
     * retried (1 s apart, for up to {@code missing-task-wait}) before it is logged and skipped; records of other types are skipped
     * without decoding.
     */
    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> webhookEventsContainer(
            KafkaProperties kafka,
            WebhookProperties properties,
            MessageCodec codec,
            TaskEventIntake intake,
            @Value("${agentry.scheduler.webhooks.consumer-concurrency:4}") int consumerConcurrency) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentry-scheduler-webhooks");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        DefaultKafkaConsumerFactory<String, byte[]> consumers =
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties container = new ContainerProperties(Topics.TASK_EVENTS);
        container.setMessageListener((MessageListener<String, byte[]>) record -> onRecord(record, codec, intake));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        // Events of one task stay on one partition, so consumers in parallel keep each task's order; one thread
        // doing a few queries per terminal event fell behind a few hundred tasks a second.
        listener.setConcurrency(consumerConcurrency);
        DefaultErrorHandler errors = new DefaultErrorHandler(
                new FixedBackOff(1000L, properties.missingTaskWait().toSeconds()));
        errors.addNotRetryableExceptions(UndecodableMessageException.class);
        listener.setCommonErrorHandler(errors);
        return listener;
    }

    @SuppressWarnings("unchecked")
    private static void onRecord(ConsumerRecord<String, byte[]> record, MessageCodec codec, TaskEventIntake intake) {
        Header type = record.headers().lastHeader(Headers.MESSAGE_TYPE);
        if (type != null && !WEBHOOK_TYPES.contains(new String(type.value(), StandardCharsets.UTF_8))) {
            return;
        }
        Envelope<?> envelope;
        try {
            envelope = codec.decode(record.value());
        } catch (UndecodableMessageException e) {
            log.debug("Skipping a record the webhook consumer cannot read at offset {}.", record.offset());
            return;
        }
        if (envelope.payload() instanceof TaskEvent) {
            intake.accept((Envelope<TaskEvent>) envelope);
        }
    }
}
