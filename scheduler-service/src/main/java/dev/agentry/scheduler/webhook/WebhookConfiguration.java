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
        container.setMessageListener(
                (BatchMessageListener<String, byte[]>) records -> onBatch(records, codec, intake, deadLetters, jdbc));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        // Events of one task stay on one partition, so consumers in parallel keep each task's order.
        listener.setConcurrency(consumerConcurrency);
        long missingTaskAttempts = properties.missingTaskWait().toSeconds();
        listener.setCommonErrorHandler(intakeErrors(
                IntakeDeadLetters.TASK_EVENTS,
                deadLetters,
                (record, failure) -> causedBy(failure, TaskEventIntake.TaskNotYetVisibleException.class)
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
        container.setMessageListener(
                (BatchMessageListener<String, byte[]>) records -> onNotices(records, codec, intake, deadLetters, jdbc));
        ConcurrentMessageListenerContainer<String, byte[]> listener =
                new ConcurrentMessageListenerContainer<>(consumers, container);
        listener.setCommonErrorHandler(
                intakeErrors(IntakeDeadLetters.CONVERSATION_NOTICES, deadLetters, (record, failure) -> null));
        return listener;
    }

    /** Tries of a record an intake names as the cause of a failed batch, before it is set aside. */
    static final int POISON_ATTEMPTS = 3;

    /**
     * The intakes' error handler: the database away is waited out (every 2 s, without end; an outage never makes
     * dead letters); a record named as the cause ({@link BatchListenerFailedException}) is retried with the
     * stage's own backoff, or {@link #POISON_ATTEMPTS} times 500 ms apart, then set aside, and the partition moves
     * on.
     */
    private static DefaultErrorHandler intakeErrors(
            String stage,
            IntakeDeadLetters deadLetters,
            java.util.function.BiFunction<ConsumerRecord<?, ?>, Exception, FixedBackOff> stageBackOff) {
        DefaultErrorHandler errors = new DefaultErrorHandler(
                (record, failure) -> deadLetters.setAside(
                        stage, record, IntakeDeadLetters.reason(failure), attemptsOf(failure, stageBackOff, record)),
                new FixedBackOff(500L, POISON_ATTEMPTS - 1));
        errors.setBackOffFunction((record, failure) -> {
            if (causedBy(failure, Outage.class)) {
                return new FixedBackOff(2000L, FixedBackOff.UNLIMITED_ATTEMPTS);
            }
            return stageBackOff.apply(record, failure);
        });
        return errors;
    }

    private static int attemptsOf(
            Exception failure,
            java.util.function.BiFunction<ConsumerRecord<?, ?>, Exception, FixedBackOff> stageBackOff,
            ConsumerRecord<?, ?> record) {
        FixedBackOff own = stageBackOff.apply(record, failure);
        return own == null ? POISON_ATTEMPTS : (int) own.getMaxAttempts() + 1;
    }

    /** The database does not answer, or the failure passes by itself: the batch waits, nothing is set aside. */
    static final class Outage extends RuntimeException {
        Outage(DataAccessException cause) {
            super("The database is unavailable", cause);
        }
    }

    private static void onNotices(
            List<ConsumerRecord<String, byte[]>> records,
            MessageCodec codec,
            ConversationNoticeIntake intake,
            IntakeDeadLetters deadLetters,
            JdbcClient jdbc) {
        List<Envelope<? extends ConversationNotice>> notices = new ArrayList<>(records.size());
        List<Integer> indices = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Envelope<?> envelope;
            try {
                envelope = codec.decode(record.value() == null ? new byte[0] : record.value());
            } catch (UndecodableMessageException e) {
                setAsideUndecodable(deadLetters, IntakeDeadLetters.CONVERSATION_NOTICES, record, e);
                continue;
            }
            if (envelope.payload() instanceof ConversationNotice) {
                @SuppressWarnings("unchecked")
                Envelope<? extends ConversationNotice> notice = (Envelope<? extends ConversationNotice>) envelope;
                notices.add(notice);
                indices.add(i);
            }
        }
        applyOrName(records, notices, indices, intake::accept, jdbc, "Conversation webhook intake");
    }

    /**
     * Applies the batch; when it fails while the database answers, applies it again one item at a time (the intakes
     * are idempotent) and names the first item that still fails to the error handler, which retries it a bounded
     * number of times and sets it aside. An unreachable database, or a failure that passes by itself, is an {@link
     * Outage}: the batch waits.
     */
    private static <T> void applyOrName(
            List<ConsumerRecord<String, byte[]>> records,
            List<T> items,
            List<Integer> indices,
            java.util.function.Consumer<List<T>> apply,
            JdbcClient jdbc,
            String stage) {
        try {
            apply.accept(items);
            return;
        } catch (TaskEventIntake.TaskNotYetVisibleException e) {
            throw e;
        } catch (RuntimeException batch) {
            if (outage(batch, jdbc)) {
                log.warn("{} cannot reach the database ({}); retrying.", stage, batch.getMessage());
                throw new BatchListenerFailedException(
                        "The database is unavailable", new Outage(asDataAccess(batch)), 0);
            }
            log.warn("{}: a batch of {} failed; applying it one at a time to find the cause.", stage, items.size());
        }
        for (int i = 0; i < items.size(); i++) {
            try {
                apply.accept(List.of(items.get(i)));
            } catch (TaskEventIntake.TaskNotYetVisibleException e) {
                throw e;
            } catch (RuntimeException failure) {
                if (outage(failure, jdbc)) {
                    throw new BatchListenerFailedException(
                            "The database is unavailable", new Outage(asDataAccess(failure)), 0);
                }
                ConsumerRecord<String, byte[]> record = records.get(indices.get(i));
                throw new BatchListenerFailedException(
                        "Record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                                + " cannot be processed",
                        failure,
                        indices.get(i));
            }
        }
    }

    /**
     * Only a record's own data can make it poison: a value or constraint PostgreSQL refuses (while it answers), or
     * a failure outside the database. Any other database failure (unreachable, a deadlock, a missing table) is
     * waited out, so that trouble with the database never turns good records into dead letters.
     */
    private static boolean outage(RuntimeException failure, JdbcClient jdbc) {
        if (!causedBy(failure, DataAccessException.class)) {
            return false;
        }
        if (!causedBy(failure, org.springframework.dao.DataIntegrityViolationException.class)) {
            return true;
        }
        try {
            return jdbc.sql("select 1").query(Integer.class).single() != 1;
        } catch (RuntimeException down) {
            return true;
        }
    }

    /** Retrying bytes that do not decode cannot help; the database away while storing the letter is an outage. */
    private static void setAsideUndecodable(
            IntakeDeadLetters deadLetters,
            String stage,
            ConsumerRecord<String, byte[]> record,
            UndecodableMessageException e) {
        try {
            deadLetters.setAside(stage, record, "Undecodable: " + e.getMessage(), 1);
        } catch (DataAccessException down) {
            throw new BatchListenerFailedException("The database is unavailable", new Outage(down), 0);
        }
    }

    private static DataAccessException asDataAccess(RuntimeException failure) {
        return failure instanceof DataAccessException data
                ? data
                : new org.springframework.dao.DataAccessResourceFailureException(failure.getMessage(), failure);
    }

    private static void onBatch(
            List<ConsumerRecord<String, byte[]>> records,
            MessageCodec codec,
            TaskEventIntake intake,
            IntakeDeadLetters deadLetters,
            JdbcClient jdbc) {
        List<Envelope<? extends TaskEvent>> events = new ArrayList<>(records.size());
        List<Integer> indices = new ArrayList<>(records.size());
        Map<UUID, Integer> positions = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Header type = record.headers().lastHeader(Headers.MESSAGE_TYPE);
            if (type != null && !WEBHOOK_TYPES.contains(new String(type.value(), StandardCharsets.UTF_8))) {
                continue;
            }
            Envelope<?> envelope;
            try {
                envelope = codec.decode(record.value() == null ? new byte[0] : record.value());
            } catch (UndecodableMessageException e) {
                setAsideUndecodable(deadLetters, IntakeDeadLetters.TASK_EVENTS, record, e);
                continue;
            }
            if (envelope.payload() instanceof TaskEvent) {
                @SuppressWarnings("unchecked")
                Envelope<? extends TaskEvent> event = (Envelope<? extends TaskEvent>) envelope;
                events.add(event);
                indices.add(i);
                positions.putIfAbsent(event.id(), i);
            }
        }
        try {
            applyOrName(records, events, indices, intake::accept, jdbc, "Webhook intake");
        } catch (TaskEventIntake.TaskNotYetVisibleException e) {
            throw new BatchListenerFailedException(e.getMessage(), e, positions.get(e.eventId()));
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
