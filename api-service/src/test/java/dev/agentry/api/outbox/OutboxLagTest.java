package dev.agentry.api.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.Topics;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code agentry_outbox_lag_seconds} as Prometheus reads it from {@code /metrics}. The row that waits is larger than
 * the producer's {@code max.request.size}: Kafka refuses it at once, and with many attempts allowed it stays.
 */
@TestPropertySource(properties = {"agentry.api.outbox.lag-refresh=0s", "agentry.api.outbox.max-attempts=1000000"})
class OutboxLagTest extends ApiIntegrationTest {

    @Test
    void showsTheAgeOfTheOldestUnsentRowAndZeroOnceNoneWaits() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lag()).isZero());

        long id = jdbc.sql("""
                        insert into outbox (topic, msg_key, payload, created_at)
                        values (?, 'outbox-lag-test', ?, now() - interval '90 seconds') returning id""")
                .params(Topics.TASK_COMMANDS, new byte[2 * 1024 * 1024])
                .query(Long.class)
                .single();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lag()).isBetween(90.0, 150.0));
        double first = lag();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(lag()).isGreaterThan(first));

        jdbc.sql("delete from outbox where id = ?").param(id).update();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(lag()).isZero());
    }

    private double lag() {
        Response metrics = send(request("/metrics").GET());
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body()
                .lines()
                .filter(line -> line.startsWith("agentry_outbox_lag_seconds "))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series agentry_outbox_lag_seconds in /metrics"));
    }
}
