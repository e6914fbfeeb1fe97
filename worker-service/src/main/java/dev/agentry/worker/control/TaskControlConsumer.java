package dev.agentry.worker.control;

import dev.agentry.events.Topics;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.messaging.DeadLetters;
import dev.agentry.worker.messaging.KafkaTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.event.ListenerContainerIdleEvent;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Reads {@code agentry.task.control} in full and in order, in a classic consumer group of this worker alone
 * ({@code agentry-control-<worker id>}, from the earliest offset, so a new worker also learns recent
 * cancellations), with a spring-kafka listener container: offsets committed after each batch, the consumer
 * restarted on failures, and a record that is no control message sent to {@code agentry.task.control-dlt} by a
 * {@link DefaultErrorHandler} with the dead-letter recoverer. Starts before the command slots and waits (briefly)
 * until it caught up, so a slot does not start a command whose cancellation is already on the topic.
 */
@Component
public class TaskControlConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TaskControlConsumer.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration IDLE = Duration.ofMillis(200);
    private static final Duration CATCH_UP = Duration.ofSeconds(15);

    private final WorkerProperties properties;
    private final KafkaProperties kafka;
    private final Admin admin;
    private final ControlMessages messages;
    private final DeadLetters deadLetters;
    private volatile @Nullable KafkaMessageListenerContainer<String, byte[]> container;
    private volatile CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running;

    TaskControlConsumer(
            WorkerProperties properties,
            KafkaProperties kafka,
            Admin admin,
            ControlMessages messages,
            DeadLetters deadLetters) {
        this.properties = properties;
        this.kafka = kafka;
        this.admin = admin;
        this.messages = messages;
        this.deadLetters = deadLetters;
    }

    /** The consumer group of this worker alone: every worker reads every control message. */
    public static String groupId(String workerId) {
        return "agentry-control-" + workerId;
    }

    @Override
    public synchronized void start() {
        createTopics();
        messages.start();
        caughtUp = new CountDownLatch(1);
        KafkaMessageListenerContainer<String, byte[]> started = newContainer();
        container = started;
        started.start();
        running = true;
        try {
            if (!caughtUp.await(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "The control topic was not read to its end within {} s; taking tasks anyway.",
                        CATCH_UP.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        KafkaMessageListenerContainer<String, byte[]> current = container;
        if (current != null) {
            current.stop();
        }
        container = null;
        messages.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the command slots start (they are in the default phase), after they stopped. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }

    private KafkaMessageListenerContainer<String, byte[]> newContainer() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", false);
        config.remove("group.instance.id");
        config.remove("key.deserializer");
        config.remove("value.deserializer");
        var consumers =
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        ContainerProperties container = new ContainerProperties(Topics.TASK_CONTROL);
        container.setGroupId(groupId(properties.workerId()));
        container.setClientId(properties.workerId() + "-control");
        container.setAckMode(ContainerProperties.AckMode.BATCH);
        container.setPollTimeout(POLL.toMillis());
        container.setIdleEventInterval(IDLE.toMillis());
        container.setIdleBeforeDataMultiplier(1.0);
        container.setMessageListener((MessageListener<String, byte[]>) messages::handle);
        var listener = new KafkaMessageListenerContainer<>(consumers, container);
        listener.setBeanName("task-control-" + properties.workerId());
        // Decoding is the only failure that reaches the handler, and retrying it cannot help: straight to the DLT.
        DefaultErrorHandler errors = new DefaultErrorHandler(deadLetters.recoverer(), new FixedBackOff(0L, 0L));
        errors.setCommitRecovered(true);
        listener.setCommonErrorHandler(errors);
        // Idle events are published on the consumer's thread, where the consumer may be asked for its positions.
        listener.setApplicationEventPublisher(event -> {
            if (event instanceof ListenerContainerIdleEvent idle && caughtUp.getCount() > 0) {
                if (atEnd(idle.getConsumer())) {
                    log.info("Worker {} has read the control topic to its end.", properties.workerId());
                    caughtUp.countDown();
                }
            }
        });
        return listener;
    }

    private static boolean atEnd(Consumer<?, ?> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
        for (TopicPartition partition : assigned) {
            if (consumer.position(partition) < ends.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }

    private void createTopics() {
        Duration timeout = Duration.ofSeconds(10);
        try {
            KafkaTopics.create(admin, Topics.TASK_CONTROL, properties.eventPartitions(), timeout);
            KafkaTopics.create(admin, Topics.deadLetter(Topics.TASK_CONTROL), 1, timeout);
        } catch (ExecutionException e) {
            log.warn("Topic {} could not be created: {}", Topics.TASK_CONTROL, e.getMessage());
        } catch (TimeoutException e) {
            log.warn("Topic {} could not be created in time; subscribing anyway.", Topics.TASK_CONTROL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
