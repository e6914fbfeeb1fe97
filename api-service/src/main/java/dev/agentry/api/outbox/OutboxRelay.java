package dev.agentry.api.outbox;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.support.BackgroundLoop;
import dev.agentry.api.support.Text;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
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
 * relay side by side without publishing a row twice; a crash between send and delete republishes the row, and
 * consumers deduplicate on the envelope id.
 *
 * <p>Each row stands alone, so that one tenant's bad row never holds up the others' ({@link RowPublisher}):
 *
 * <ul>
 *   <li>a row Kafka acknowledges is deleted, whatever happened to the rest of the batch;
 *   <li>a row Kafka refuses for good (over {@code max.request.size}, an invalid topic) is tried {@code
 *       max-attempts} times in all, then set aside as a dead letter, and the task it would have run fails with the
 *       reason ({@link UndeliverableRows});
 *   <li>while Kafka is unreachable the rows simply wait and the relay backs off; nothing accepted is lost. A row
 *       that did not go out holds back the later rows of its key, so one task's messages never overtake each other.
 * </ul>
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
    private final RowPublisher publisher;
    private final UndeliverableRows undeliverable;
    private final JsonMapper json;
    private final ApiProperties.Outbox settings;
    private final Counter published;
    private final AtomicLong backlog = new AtomicLong();

    OutboxRelay(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KafkaTemplate<String, byte[]> kafka,
            UndeliverableRows undeliverable,
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
        this.publisher = new RowPublisher(kafka, settings.sendTimeout());
        this.undeliverable = undeliverable;
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

    /**
     * Publishes one batch inside one transaction; the rows' locks keep other relays off them meanwhile. What went
     * out is committed as sent even when Kafka was unreachable for the rest, and the pass then fails so that the
     * loop backs off.
     */
    int relayBatch() {
        Pass pass = transactions.execute(status -> {
            List<OutboxRow> rows = jdbc.sql("""
                    select id, topic, msg_key, payload, headers::text as headers, attempts from outbox
                    order by id limit ? for update skip locked""")
                    .param(settings.batchSize())
                    .query((rs, n) -> new OutboxRow(
                            rs.getLong("id"),
                            rs.getString("topic"),
                            rs.getString("msg_key"),
                            rs.getBytes("payload"),
                            json.readValue(rs.getString("headers"), HEADERS),
                            rs.getInt("attempts")))
                    .list();
            if (rows.isEmpty()) {
                backlog.set(0);
                return new Pass(0, null);
            }
            Map<Long, SendOutcome> outcomes = publisher.publish(rows);
            List<Long> done = new ArrayList<>();
            Throwable outage = null;
            for (OutboxRow row : rows) {
                switch (outcomes.get(row.id())) {
                    case SendOutcome.Sent sent -> done.add(row.id());
                    case SendOutcome.Refused refused -> {
                        if (refused(row, refused.cause())) {
                            done.add(row.id());
                        }
                    }
                    case SendOutcome.Unreachable unreachable -> outage = outage == null ? unreachable.cause() : outage;
                    case SendOutcome.Held held -> {}
                    case null -> {}
                }
            }
            jdbc.sql("delete from outbox where id = any(?)")
                    .param(done.toArray(Long[]::new))
                    .update();
            long sent = outcomes.values().stream()
                    .filter(SendOutcome.Sent.class::isInstance)
                    .count();
            published.increment(sent);
            backlog.set(rows.size() == settings.batchSize() ? rows.size() : rows.size() - done.size());
            return new Pass(rows.size(), outage);
        });
        if (pass == null) {
            return 0;
        }
        if (pass.outage() != null) {
            throw new IllegalStateException("Kafka did not acknowledge every outbox row", pass.outage());
        }
        return pass.rows();
    }

    /** Counts a refusal; answers whether the row was set aside (and is to be deleted from the outbox). */
    private boolean refused(OutboxRow row, Throwable cause) {
        int attempts = row.attempts() + 1;
        if (attempts >= settings.maxAttempts()) {
            undeliverable.setAside(row, cause, attempts);
            return true;
        }
        log.warn("Kafka refused outbox row {} (attempt {} of {}).", row.id(), attempts, settings.maxAttempts(), cause);
        jdbc.sql("update outbox set attempts = ?, last_error = ? where id = ?")
                .params(attempts, Text.bounded(String.valueOf(cause), 2000), row.id())
                .update();
        return false;
    }

    private record Pass(int rows, @Nullable Throwable outage) {}
}
