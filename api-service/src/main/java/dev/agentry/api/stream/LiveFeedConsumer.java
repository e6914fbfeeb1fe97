package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import dev.agentry.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * This instance's broadcast subscription to the live feed: every partition assigned directly (no group, no
 * rebalance to wait for), starting from the end, handing each entry to the {@link StreamHub}. Streams read the
 * past from the database; this only carries the present.
 */
@Component
class LiveFeedConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveFeedConsumer.class);

    private final StreamHub hub;
    private final LiveEntries watchers;
    private final JsonMapper json;
    private final KafkaProperties kafka;
    private final Counter skipped;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile Thread thread;

    LiveFeedConsumer(
            StreamHub hub, LiveEntries watchers, JsonMapper json, MeterRegistry meters, KafkaProperties kafka) {
        this.hub = hub;
        this.watchers = watchers;
        this.json = json;
        this.kafka = kafka;
        this.skipped = Counter.builder("agentry.live_feed.skipped")
                .description("Live feed records this instance could not read and skipped (they carry no state)")
                .tag("feed", "task-stream")
                .register(meters);
    }

    @Override
    public void start() {
        consumer = new KafkaConsumer<>(config(kafka), new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = Thread.ofPlatform().name("live-feed").daemon().start(this::loop);
    }

    /**
     * The broker connection as configured ({@code spring.kafka.*}: SASL, TLS), without a group: every partition is
     * assigned, nothing is committed, reading starts at the end.
     */
    static Map<String, Object> config(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentry-api-live");
        return config;
    }

    private void loop() {
        try {
            assignAll();
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        LoggedEvent entry = json.readValue(record.value(), LoggedEvent.class);
                        hub.dispatch(entry);
                        watchers.dispatch(entry);
                    } catch (RuntimeException e) {
                        skipped.increment();
                        log.warn("Skipping an unreadable live entry at offset {}: {}", record.offset(), e.getMessage());
                    }
                }
            }
        } catch (WakeupException e) {
            // stopping
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void assignAll() {
        while (running) {
            try {
                List<PartitionInfo> partitions = consumer.partitionsFor(Topics.TASK_STREAM, Duration.ofSeconds(5));
                if (partitions != null && !partitions.isEmpty()) {
                    List<TopicPartition> all = partitions.stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
                    consumer.assign(all);
                    consumer.seekToEnd(all);
                    all.forEach(consumer::position);
                    log.info("Live feed assigned {} partitions.", all.size());
                    return;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                log.warn("The live feed waits for Kafka: {}", e.getMessage());
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
