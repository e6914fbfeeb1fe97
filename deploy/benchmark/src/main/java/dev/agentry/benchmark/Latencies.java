package dev.agentry.benchmark;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Records latencies from many threads into a fixed array; percentiles come from sorting a copy (nearest rank). */
final class Latencies {

    private final long[] nanos;
    private final AtomicInteger count = new AtomicInteger();

    Latencies(int capacity) {
        this.nanos = new long[capacity];
    }

    void record(long latencyNanos) {
        int slot = count.getAndIncrement();
        if (slot < nanos.length) {
            nanos[slot] = latencyNanos;
        }
    }

    Summary summary() {
        int n = Math.min(count.get(), nanos.length);
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        return new Summary(sorted);
    }

    /** Latency statistics over a sorted sample. */
    record Summary(long[] sorted) {

        int count() {
            return sorted.length;
        }

        /** The nearest-rank percentile: the smallest recorded value with at least {@code p}% of values at or below. */
        Duration percentile(double p) {
            if (sorted.length == 0) {
                return Duration.ZERO;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return Duration.ofNanos(sorted[Math.clamp(rank - 1, 0, sorted.length - 1)]);
        }

        Duration max() {
            return sorted.length == 0 ? Duration.ZERO : Duration.ofNanos(sorted[sorted.length - 1]);
        }

        Duration mean() {
            if (sorted.length == 0) {
                return Duration.ZERO;
            }
            double sum = 0;
            for (long value : sorted) {
                sum += value;
            }
            return Duration.ofNanos((long) (sum / sorted.length));
        }

        String describe() {
            return "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s"
                    .formatted(
                            millis(percentile(50)),
                            millis(percentile(90)),
                            millis(percentile(99)),
                            millis(percentile(99.9)),
                            millis(max()),
                            millis(mean()));
        }

        static String millis(Duration d) {
            return "%.1f ms".formatted(d.toNanos() / 1_000_000.0);
        }
    }
}
