package dev.agentry.scheduler.schedule;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Firing conversation schedules, under {@code agentry.scheduler.schedules}.
 *
 * @param enabled whether this scheduler runs the due-schedule loop; any number of schedulers may run it at once
 * @param pollInterval the longest the loop waits between looks at the schedules: new and changed schedules (and an
 *     {@code immediate} one) are noticed within it. Known due instants wake the loop on time whatever this is
 * @param lookahead how long before its instant a firing is claimed, computed and encoded, so that at the instant
 *     only the send to Kafka is left: all the database work of ten thousand schedules due in the same second
 *     otherwise happens after that second, one batch after another, and is what their firing lag consists of
 * @param batchSize the most firings claimed, published and advanced in one transaction; with {@code threads}, how
 *     many firings due in one {@code lookahead} window are ready at their instant
 * @param threads loop threads in this scheduler; they claim batches side by side, so one batch's database work
 *     overlaps another's wait for Kafka
 * @param publishTimeout how long a batch waits for Kafka to acknowledge its firings; the unacknowledged ones are
 *     published again on the next pass, with the same envelope ids
 */
@Validated
@ConfigurationProperties("agentry.scheduler.schedules")
public record ScheduleProperties(
        @DefaultValue("true") boolean enabled,

        @DefaultValue("200ms") @DurationMin(millis = 10) @DurationMax(minutes = 1)
        Duration pollInterval,

        @DefaultValue("5s") @DurationMin(millis = 0) @DurationMax(seconds = 30)
        Duration lookahead,

        @DefaultValue("5000") @Min(1) @Max(50_000) int batchSize,

        @DefaultValue("2") @Min(1) @Max(16) int threads,

        @DefaultValue("10s") @DurationMin(millis = 100) Duration publishTimeout) {}
