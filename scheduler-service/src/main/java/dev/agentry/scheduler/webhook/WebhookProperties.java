package dev.agentry.scheduler.webhook;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook delivery, under {@code agentry.scheduler.webhooks}. Delivery also needs {@code agentry.secrets.sealing-keys}
 * (the API's key ring) to open the tenants' signing secrets; without it delivery stays off.
 *
 * @param enabled whether this scheduler consumes task events and delivers webhooks
 * @param consumerGroup the Kafka consumer group on {@code agentry.task.events}
 * @param retrySchedule the delay before each attempt, the first usually zero (Standard Webhooks: immediately, 5 s,
 *     5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h); after the last attempt fails the delivery is dead
 * @param jitter each delay is stretched by a random fraction up to this, so retries of many deliveries spread out
 * @param attemptTimeout the whole attempt, connect to last byte read; a receiver that stalls or streams is cut here
 * @param connectTimeout the TCP (and TLS) connect part of it
 * @param responseBodyLimit the most bytes read from a receiver's answer; the rest is never read
 * @param allowedNetworks CIDRs that may be called although private, loopback or otherwise refused (for the local
 *     platform and tests, e.g. {@code 127.0.0.0/8}); empty in production
 * @param maxRetryAfter the longest a 429/503 {@code Retry-After} may push the next attempt out
 * @param inProcessDelayLimit retries due within this are timed in this process (so the deliveries an open circuit
 *     turns away cost no JobRunr job each); later ones are JobRunr jobs. Either way the row is the truth and the
 *     sweeper picks up whatever a restart dropped
 * @param sweepInterval how often the sweeper looks for redelivery requests and overdue deliveries
 * @param overdueAfter a delivery this late with no attempt under way is taken by the sweeper
 * @param maxConcurrentPerHost the bulkhead: concurrent attempts to one host
 * @param bulkheadWait how long an attempt waits (a parked virtual thread, first come first served) for one of its
 *     host's permits before it is put back in the row for a second later
 * @param circuitBreaker the per-host circuit breaker
 * @param missingTaskWait how long an event whose task row is not visible yet is retried (1 s apart) before it is
 *     skipped. The API commits the row before any command for the task is published, so this only covers a database
 *     read from a lagging replica; it is short because the events behind it on its partition wait too
 * @param maxEventAge events older than this are not delivered: a new consumer group starts at the earliest offset,
 *     and the first start of delivery must not send a week of old completions; an outage shorter than this loses none
 * @param disableAfter an endpoint whose attempts have all failed for this long is given up, like one that answered
 *     410 Gone: deliveries of tasks created before are recorded dead without being sent
 */
@Validated
@ConfigurationProperties("agentry.scheduler.webhooks")
public record WebhookProperties(
        @DefaultValue("true") boolean enabled,

        @DefaultValue("agentry-scheduler-webhooks") @NotBlank
        String consumerGroup,

        @DefaultValue({"0s", "5s", "5m", "30m", "2h", "5h", "10h", "14h", "20h", "24h"}) @NotEmpty
        List<Duration> retrySchedule,

        @DefaultValue("0.2") @DecimalMin("0") @DecimalMax("1")
        double jitter,

        @DefaultValue("15s") @DurationMin(millis = 100) Duration attemptTimeout,
        @DefaultValue("5s") @DurationMin(millis = 100) Duration connectTimeout,
        @DefaultValue("4096") @Min(0) @Max(1_048_576) int responseBodyLimit,
        @DefaultValue List<String> allowedNetworks,
        @DefaultValue("24h") @DurationMin(seconds = 0) Duration maxRetryAfter,
        @DefaultValue("60s") @DurationMin(seconds = 0) Duration inProcessDelayLimit,
        @DefaultValue("1s") @DurationMin(millis = 50) Duration sweepInterval,
        @DefaultValue("30s") @DurationMin(millis = 100) Duration overdueAfter,
        @DefaultValue("64") @Min(1) @Max(1000) int maxConcurrentPerHost,
        @DefaultValue("10s") @DurationMin(seconds = 0) Duration bulkheadWait,
        @Valid @DefaultValue CircuitBreaker circuitBreaker,

        @DefaultValue("10s") @DurationMin(seconds = 0) Duration missingTaskWait,
        @DefaultValue("24h") @DurationMin(seconds = 1) Duration maxEventAge,
        @DefaultValue("5d") @DurationMin(millis = 1) Duration disableAfter) {

    /**
     * @param failureRateThreshold percentage of failed attempts (in the window) that opens the circuit for a host
     * @param minimumCalls attempts in the window before the rate counts
     * @param openFor how long an open circuit defers attempts to its host before letting probes through
     */
    public record CircuitBreaker(
            @DefaultValue("50") @Min(1) @Max(100) int failureRateThreshold,
            @DefaultValue("20") @Min(1) int minimumCalls,
            @DefaultValue("30s") @DurationMin(millis = 100) Duration openFor) {}

    /** How long an attempt may hold a delivery before another replica (or this one after a restart) may retry it. */
    Duration lease() {
        return bulkheadWait.plus(attemptTimeout).plus(connectTimeout).plusSeconds(30);
    }
}
