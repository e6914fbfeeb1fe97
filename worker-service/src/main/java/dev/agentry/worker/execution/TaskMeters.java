package dev.agentry.worker.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The worker's meters of finished task runs, both tagged {@code runtime} and {@code outcome} ({@code completed},
 * {@code failed_<reason>}, {@code abandoned}, {@code skipped_cancelled}): {@code agentry.worker.tasks}, a counter,
 * and {@code agentry.worker.task.duration}, a timer with a percentile histogram so that dashboards take p50 and p99
 * across workers.
 */
@Component
class TaskMeters {

    static final String TASKS = "agentry.worker.tasks";
    static final String DURATION = "agentry.worker.task.duration";

    private final MeterRegistry meters;

    TaskMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    /** One run ended with this outcome after {@code elapsed} (from when this worker took it up). */
    void finished(String runtime, String outcome, Duration elapsed) {
        Counter.builder(TASKS)
                .description("Task runs a worker finished, by runtime and outcome")
                .tags("runtime", runtime, "outcome", outcome)
                .register(meters)
                .increment();
        Timer.builder(DURATION)
                .description("How long a task run took on the worker, by runtime and outcome")
                .tags("runtime", runtime, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(24))
                .register(meters)
                .record(elapsed);
    }
}
