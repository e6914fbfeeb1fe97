package dev.agentry.worker.conversation;

import dev.agentry.events.Topics;
import dev.agentry.worker.llm.LlmProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * What the conversation slots need from Kafka: the conversation topics, the share group reading from the earliest
 * offset with the configured acquisition lock, and one share consumer per slot.
 */
final class ConversationKafka {

    private static final Logger log = LoggerFactory.getLogger(ConversationKafka.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    /** Options a share consumer refuses; Spring's consumer properties may carry them for classic consumers. */
    private static final List<String> CLASSIC_ONLY = List.of(
            "auto.offset.reset",
            "enable.auto.commit",
            "group.instance.id",
            "isolation.level",
            "partition.assignment.strategy",
            "interceptor.classes",
            "session.timeout.ms",
            "heartbeat.interval.ms",
            "group.protocol",
            "group.remote.assignor",
            "key.deserializer",
            "value.deserializer");

    private ConversationKafka() {}

    static void prepare(Admin admin, LlmProperties properties, Duration patience) {
        Instant giveUp = Instant.now().plus(patience);
        while (true) {
            try {
                createTopic(admin, Topics.CONVERSATION_COMMANDS, properties.commandPartitions());
                createTopic(admin, Topics.CONVERSATION_EVENTS, properties.eventPartitions());
                admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.GROUP, properties.shareGroupId()),
                                List.of(
                                        set("share.auto.offset.reset", "earliest"),
                                        set(
                                                "share.record.lock.duration.ms",
                                                Long.toString(properties
                                                        .lockDuration()
                                                        .toMillis())))))
                        .all()
                        .get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new IllegalStateException(
                            "Kafka could not be prepared for conversation turns: " + e.getMessage(), e);
                }
                log.warn("Kafka is not ready for conversation turns yet ({}); trying again.", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while preparing Kafka", e);
            }
        }
    }

    static ShareConsumer<String, byte[]> consumer(KafkaProperties kafka, String groupId, String clientId) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        CLASSIC_ONLY.forEach(config::remove);
        config.put("group.id", groupId);
        config.put("client.id", clientId);
        config.put("share.acknowledgement.mode", "explicit");
        config.put("share.acquire.mode", "record_limit");
        config.put("max.poll.records", 1);
        return new KafkaShareConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void createTopic(Admin admin, String topic, int partitions)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all()
                    .get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created topic {} with {} partitions.", topic, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }
}
