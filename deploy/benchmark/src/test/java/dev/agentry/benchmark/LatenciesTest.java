package dev.agentry.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void reportsNearestRankPercentiles() {
        Latencies latencies = new Latencies(100);
        for (int ms = 100; ms >= 1; ms--) {
            latencies.record(Duration.ofMillis(ms).toNanos());
        }

        Latencies.Summary summary = latencies.summary();

        assertThat(summary.count()).isEqualTo(100);
        assertThat(summary.percentile(50)).isEqualTo(Duration.ofMillis(50));
        assertThat(summary.percentile(90)).isEqualTo(Duration.ofMillis(90));
        assertThat(summary.percentile(99)).isEqualTo(Duration.ofMillis(99));
        assertThat(summary.percentile(99.9)).isEqualTo(Duration.ofMillis(100));
        assertThat(summary.max()).isEqualTo(Duration.ofMillis(100));
        assertThat(summary.mean()).isEqualTo(Duration.ofNanos(50_500_000));
    }

    @Test
    void reportsZeroWhenNothingWasRecorded() {
        Latencies.Summary summary = new Latencies(10).summary();

        assertThat(summary.percentile(99)).isZero();
        assertThat(summary.max()).isZero();
    }

    @Test
    void ignoresRecordsBeyondItsCapacity() {
        Latencies latencies = new Latencies(2);
        latencies.record(1);
        latencies.record(2);
        latencies.record(3);

        assertThat(latencies.summary().count()).isEqualTo(2);
    }
}
