package dev.agentry.api.outbox;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.support.BackgroundLoop;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes outbox rows to Kafka, oldest first, and deletes them once Kafka has acknowledged them (idempotent
 * producer, {@code acks=all}). Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several API instances
 * relay side by side without publishing a row twice; a crash between send and delete republishes the batch, and
 * consumers deduplicate on the envelope id. While Kafka is unreachable the rows simply wait, and the relay
 * backs off; nothing accepted is lost.
 *
 * <p>We wrote this relay rather than use Spring Modulith's event publication registry because the registry
 * republishes incomplete events only on restart or on an explicit resubmission schedule, and stores Java-typed
 * events rather than the wire bytes; here the bytes are the contract, and the relay drains continuously.
 */
@Component
class OutboxRelay extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;
    private final ApiProperties.Outbox settings;
    private final Counter published;
    private final AtomicLong backlog = new AtomicLong();

    OutboxRelay(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KafkaTemplate<String, byte[]> kafka,
            JsonMapper json,
            ApiProperties properties,
            MeterRegistry meters) {
        ApiProperties.Outbox settings = properties.outbox();
        super(
                "outbox-relay",
                settings.pollInterval(),
                Retry.withBackoff(Duration.ofMillis(100), settings.maxBackoff()),
                settings.sendTimeout());
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.kafka = kafka;
        this.json = json;
        this.settings = settings;
        this.published = Counter.builder("agentry.outbox.published")
                .description("Outbox messages published to Kafka")
                .register(meters);
        Gauge.builder("agentry.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox messages not yet published, as of the relay's last look")
                .register(meters);
    }

    @Override
    protected boolean runPass() {
        return relayBatch() == settings.batchSize();
    }

    @Override
    protected void onFailing(RuntimeException failure) {
        log.warn("The outbox relay cannot publish; retrying with backoff.", failure);
    }

    @Override
    protected void onRecovery() {
        log.info("The outbox relay reaches Kafka again.");
    }

    /** Publishes one batch inside one transaction; the rows' locks keep other relays off them meanwhile. */
    int relayBatch() {
        Integer count = transactions.execute(status -> {
            List<Row> rows = jdbc.sql("""
                    select id, topic, msg_key, payload, headers::text as headers from outbox
                    order by id limit ? for update skip locked""")
                    .param(settings.batchSize())
                    .query((rs, n) -> new Row(
                            rs.getLong("id"),
                            rs.getString("topic"),
                            rs.getString("msg_key"),
                            rs.getBytes("payload"),
                            rs.getString("headers")))
                    .list();
            if (rows.isEmpty()) {
                backlog.set(0);
                return 0;
            }
            List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
            for (Row row : rows) {
                sends.add(kafka.send(record(row)));
            }
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                        .get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge the outbox batch", e);
            }
            jdbc.sql("delete from outbox where id = any(?)")
                    .param(rows.stream().map(Row::id).toArray(Long[]::new))
                    .update();
            published.increment(rows.size());
            backlog.set(rows.size() == settings.batchSize() ? rows.size() : 0);
            return rows.size();
        });
        return count == null ? 0 : count;
    }

    private ProducerRecord<String, byte[]> record(Row row) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
        json.readValue(row.headers(), HEADERS)
                .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    private record Row(long id, String topic, String key, byte[] payload, String headers) {}
}
