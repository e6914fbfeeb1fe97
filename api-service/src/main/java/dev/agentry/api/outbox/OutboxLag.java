package dev.agentry.api.outbox;

import dev.agentry.api.config.ApiProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code agentry.outbox.lag}: the age in seconds of the oldest outbox row not yet published (0 when the outbox is
 * empty), the delay an accepted task now waits before Kafka sees it. Beside {@code agentry.outbox.backlog}, which
 * counts the rows.
 *
 * <p>The oldest row is read with one primary-key index lookup at most every {@code agentry.api.outbox.lag-refresh},
 * however often {@code /metrics} is scraped; its age is taken at each scrape, so the gauge keeps growing while the
 * relay is stuck. While the database does not answer, the last row read stands.
 */
@Component
class OutboxLag implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(OutboxLag.class);

    static final String METER = "agentry.outbox.lag";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration refresh;
    private Instant readAt = Instant.MIN;
    private @Nullable Instant oldest;

    @Autowired
    OutboxLag(JdbcClient jdbc, ApiProperties properties) {
        this(jdbc, Clock.systemUTC(), properties.outbox().lagRefresh());
    }

    OutboxLag(JdbcClient jdbc, Clock clock, Duration refresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.refresh = refresh;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(METER, this, OutboxLag::seconds)
                .description("Age of the oldest outbox message not yet published to Kafka, 0 when none waits")
                .baseUnit("seconds")
                .register(registry);
    }

    synchronized double seconds() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(refresh) >= 0) {
            try {
                // Ids grow with inserts: the lowest id is the oldest row, found on the primary key's index.
                Optional<OffsetDateTime> createdAt = jdbc.sql("select created_at from outbox order by id limit 1")
                        .query(OffsetDateTime.class)
                        .optional();
                oldest = createdAt.map(OffsetDateTime::toInstant).orElse(null);
                readAt = now;
            } catch (RuntimeException e) {
                log.debug("Could not read the outbox's oldest row; the lag keeps its last reading.", e);
            }
        }
        Instant since = oldest;
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
    }
}
