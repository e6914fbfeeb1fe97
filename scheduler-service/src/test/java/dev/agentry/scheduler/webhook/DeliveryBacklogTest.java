package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeliveryBacklogTest {

    private static WebhookPlatform platform;

    @BeforeAll
    static void start() {
        platform = new WebhookPlatform();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void countsTheDeliveriesUnderWayAndHowLongTheOldestHasWaited() {
        String tenant = platform.newTenant();
        Deliveries deliveries = new Deliveries(platform.jdbc);
        Instant created = Instant.parse("2026-11-22T00:00:00Z");
        deliveries.insertClaimed(List.of(delivery(tenant), delivery(tenant)), created, created.plusSeconds(60));
        deliveries.insertDead(delivery(tenant), "gone", created);
        MeterRegistry meters = new SimpleMeterRegistry();
        Clock later = Clock.fixed(created.plusSeconds(30), ZoneOffset.UTC);
        new DeliveryBacklog(platform.jdbc, later, Duration.ZERO).bindTo(meters);

        assertThat(meters.get("agentry.webhook.backlog").gauge().value()).isEqualTo(2);
        assertThat(meters.get("agentry.webhook.backlog.oldest").gauge().value()).isEqualTo(30);
    }

    private static NewDelivery delivery(String tenant) {
        return new NewDelivery(
                UUID.randomUUID(),
                tenant,
                UUID.randomUUID(),
                UUID.randomUUID(),
                "task.completed",
                "https://example.com/hook",
                "{}".getBytes(StandardCharsets.UTF_8),
                null,
                Instant.now(),
                null);
    }
}
