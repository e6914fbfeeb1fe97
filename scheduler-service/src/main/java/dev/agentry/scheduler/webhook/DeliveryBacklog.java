package dev.agentry.scheduler.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How far delivery is behind, for alerts: {@code agentry.webhook.backlog} (deliveries waiting for or in an attempt) and
 * {@code agentry.webhook.backlog.oldest} (seconds the longest-due one has waited). Read from the queue of record at
 * most every {@code refresh} however often {@code /metrics} is scraped, so a busy scraper costs the database nothing.
 */
final class DeliveryBacklog implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(DeliveryBacklog.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration refresh;
    private Instant readAt = Instant.MIN;
    private Snapshot snapshot = new Snapshot(0, 0);

    DeliveryBacklog(JdbcClient jdbc, Clock clock, Duration refresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.refresh = refresh;
    }

    private record Snapshot(long deliveries, double oldestSeconds) {}

    /** The registry holds the gauges' state strongly: bound outside a Spring context, a weak one read NaN after a GC. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(
                        "agentry.webhook.backlog",
                        this,
                        backlog -> backlog.current().deliveries())
                .description("Webhook deliveries waiting for an attempt or in one")
                .strongReference(true)
                .register(registry);
        Gauge.builder(
                        "agentry.webhook.backlog.oldest",
                        this,
                        backlog -> backlog.current().oldestSeconds())
                .description("How long the longest-due webhook delivery has been waiting")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    private synchronized Snapshot current() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(refresh) < 0) {
            return snapshot;
        }
        try {
            snapshot = jdbc.sql("""
                            select count(*) as deliveries, min(next_attempt_at) as oldest
                              from webhook_deliveries where status in ('pending', 'sending')""")
                    .query((rs, n) -> {
                        OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
                        double waited = oldest == null || oldest.toInstant().isAfter(now)
                                ? 0
                                : Duration.between(oldest.toInstant(), now).toMillis() / 1000.0;
                        return new Snapshot(rs.getLong("deliveries"), waited);
                    })
                    .single();
            readAt = now;
        } catch (RuntimeException e) {
            log.debug("Could not read the webhook backlog; the gauges keep their last values.", e);
        }
        return snapshot;
    }
}
