package dev.agentry.scheduler;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the scheduler, under {@code agentry.scheduler}.
 *
 * @param jobrunrSchema the PostgreSQL schema for JobRunr's own tables, created when missing. Kept out of the API's
 *     schema so that the API's Flyway never finds a non-empty schema without its history table, whichever service
 *     starts first against a fresh database.
 * @param dashboardAnonymous lets the JobRunr dashboard run without {@code jobrunr.dashboard.username} and
 *     {@code password}: the dashboard can delete and requeue every job, so the scheduler refuses to start with it open
 *     unless this says so (the local platform does, on a laptop)
 */
@Validated
@ConfigurationProperties("agentry.scheduler")
public record SchedulerProperties(
        @Valid @DefaultValue Reaper reaper,
        @Valid @DefaultValue Health health,

        @DefaultValue("jobrunr") @Pattern(regexp = "[a-z_][a-z0-9_]{0,62}")
        String jobrunrSchema,

        @DefaultValue("false") boolean dashboardAnonymous) {

    /**
     * The stuck-task reaper.
     *
     * @param enabled whether the recurring job is registered; when false it is removed from JobRunr
     * @param interval how often the job runs (JobRunr's minimum is 5 s)
     * @param staleAfter a held task with no heartbeat for this long has lost its worker
     * @param timeoutMargin a held task still running this long after {@code started_at + timeout_seconds} has lost
     *     its worker, whose own timeout should have ended it
     * @param batchSize the most tasks failed in one run; the rest wait for the next run
     * @param publishTimeout how long to wait for Kafka to acknowledge one event
     */
    public record Reaper(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("30s") @DurationMin(seconds = 5) Duration interval,
            @DefaultValue("5m") @DurationMin(seconds = 1) Duration staleAfter,
            @DefaultValue("2m") @DurationMin(seconds = 0) Duration timeoutMargin,
            @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
            @DefaultValue("10s") @DurationMin(millis = 100) Duration publishTimeout) {}

    /**
     * Readiness checks.
     *
     * @param kafkaTimeout how long the Kafka readiness check waits for the cluster to answer
     */
    public record Health(
            @DefaultValue("3s") @DurationMin(millis = 100) Duration kafkaTimeout) {}
}
