package dev.agentry.worker.queue;

import dev.agentry.events.Topics;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.messaging.KafkaTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must be true in Kafka before the first poll: the command topics, their dead-letter topics and the events
 * topics the commands answer on exist, and the share group starts from the
 * earliest offset (by default a new share group starts at the latest, and commands produced before the first worker
 * ever started would be skipped) with the configured acquisition lock.
 */
final class ShareGroupSetup {

    private static final Logger log = LoggerFactory.getLogger(ShareGroupSetup.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

    private ShareGroupSetup() {}

    static void apply(Admin admin, WorkerProperties properties, List<CommandHandler<?>> handlers, Duration patience) {
        Instant giveUp = Instant.now().plus(patience);
        while (true) {
            try {
                KafkaTopics.create(admin, Topics.TASK_EVENTS, properties.eventPartitions(), ATTEMPT_TIMEOUT);
                for (CommandHandler<?> handler : handlers) {
                    KafkaTopics.create(admin, handler.topic(), handler.partitions(), ATTEMPT_TIMEOUT);
                    KafkaTopics.create(admin, Topics.deadLetter(handler.topic()), 1, ATTEMPT_TIMEOUT);
                    for (Map.Entry<String, Integer> events :
                            handler.eventTopics().entrySet()) {
                        KafkaTopics.create(admin, events.getKey(), events.getValue(), ATTEMPT_TIMEOUT);
                    }
                    warnAboutPartitions(admin, handler.topic(), handler.slots());
                }
                configureGroup(admin, properties.shareGroupId(), properties.lockDuration());
                log.info(
                        "Share group {} reads {} from the earliest offset with a {} ms lock.",
                        properties.shareGroupId(),
                        handlers.stream().map(CommandHandler::topic).toList(),
                        properties.lockDuration().toMillis());
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException("Kafka could not be prepared for the worker: " + e.getMessage(), e);
                }
                log.warn("Kafka is not ready for the worker yet ({}); trying again.", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while preparing Kafka", e);
            }
        }
    }

    private static void warnAboutPartitions(Admin admin, String topic, int slots)
            throws ExecutionException, InterruptedException, TimeoutException {
        int partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic)
                .partitions()
                .size();
        if (partitions > slots) {
            log.warn(
                    "{} has {} partitions for {} slots of this worker: the share group assigns each partition to a"
                            + " subset of the slots, so commands can wait behind a busy slot while others idle."
                            + " Keep partitions well below the slots of all workers.",
                    topic,
                    partitions,
                    slots);
        }
    }

    private static void configureGroup(Admin admin, String groupId, Duration lock)
            throws ExecutionException, InterruptedException, TimeoutException {
        admin.incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.GROUP, groupId),
                        List.of(
                                set("share.auto.offset.reset", "earliest"),
                                set("share.record.lock.duration.ms", Long.toString(lock.toMillis())))))
                .all()
                .get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }
}
