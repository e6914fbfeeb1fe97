package dev.agentry.scheduler.webhook;

import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.scheduler.webhook.Deliveries.Attempt;
import dev.agentry.scheduler.webhook.Deliveries.Claimed;
import dev.agentry.scheduler.webhook.Endpoints.GoneEndpoint;
import dev.agentry.scheduler.webhook.WebhookSender.Outcome;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Runs attempts. Each attempt runs on its own virtual thread behind a bulkhead and a circuit breaker for its endpoint
 * host ({@code host:port}), so a slow or failing receiver ties up only its own permits; claims it in the database
 * first, so it is sent once however many triggers fire (a first attempt comes claimed from the intake); signs a fresh
 * timestamp; records what happened; and sets the next trigger: an in-process timer for short delays, a JobRunr job for
 * long ones, the sweeper for whatever a restart dropped.
 */
public class WebhookDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final Outcome UNSIGNABLE =
            new Outcome(null, 0, null, "Not sent: the tenant's signing secret cannot be opened.", null, false);

    private final Deliveries deliveries;
    private final SigningSecrets secrets;
    private final WebhookSender sender;
    private final WebhookProperties settings;
    private final JobScheduler jobScheduler;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Endpoints endpoints;
    private final HostGuards guards;
    private final ExecutorService attempts = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("webhook-attempt-", 0).factory());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("webhook-timers").factory());
    private volatile boolean closed;

    WebhookDispatcher(
            Deliveries deliveries,
            Endpoints endpoints,
            SigningSecrets secrets,
            WebhookSender sender,
            WebhookProperties settings,
            JobScheduler jobScheduler,
            Clock clock,
            MeterRegistry meters) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.sender = sender;
        this.settings = settings;
        this.jobScheduler = jobScheduler;
        this.clock = clock;
        this.meters = meters;
        this.guards = new HostGuards(settings);
    }

    /** Runs the delivery's due attempt, if it has one, on its own virtual thread. */
    public void dispatch(UUID deliveryId) {
        run(deliveryId, () -> attempt(deliveryId));
    }

    /** Runs an attempt this process already holds (a delivery it just created) on its own virtual thread. */
    void dispatch(Claimed claimed) {
        run(claimed.id(), () -> sendHeld(claimed));
    }

    private void run(UUID deliveryId, Runnable attempt) {
        if (closed) {
            return;
        }
        try {
            attempts.execute(attempt);
        } catch (RejectedExecutionException e) {
            log.debug("Not dispatching delivery {}: shutting down; the sweeper will find it.", deliveryId);
        }
    }

    /** Makes the attempt due for {@code deliveryId} at {@code at} run then. */
    void trigger(UUID deliveryId, Instant at) {
        Duration delay = Duration.between(clock.instant(), at);
        if (delay.compareTo(settings.inProcessDelayLimit()) <= 0) {
            if (!closed) {
                timers.schedule(() -> dispatch(deliveryId), Math.max(0, delay.toMillis()) + 1, TimeUnit.MILLISECONDS);
            }
            return;
        }
        try {
            UUID jobId = UUID.nameUUIDFromBytes(
                    ("webhook:" + deliveryId + "@" + at.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
            jobScheduler.<WebhookJobs>schedule(jobId, at, jobs -> jobs.attempt(deliveryId));
        } catch (RuntimeException e) {
            log.warn("Could not schedule delivery {} in JobRunr; the sweeper will take it when due.", deliveryId, e);
        }
    }

    void attempt(UUID deliveryId) {
        Instant now = clock.instant();
        Optional<Claimed> claim;
        try {
            claim = deliveries.claim(deliveryId, now, now.plusMillis(10), now.plus(settings.lease()));
        } catch (DataAccessException e) {
            log.warn("Could not claim delivery {}; the sweeper will retry it.", deliveryId, e);
            return;
        }
        claim.ifPresent(this::sendHeld);
    }

    private void sendHeld(Claimed claimed) {
        try {
            send(claimed);
        } catch (RuntimeException e) {
            // The claim's lease runs out and the sweeper retries it as the same webhook-id.
            log.error("Attempt {} of delivery {} failed unexpectedly.", claimed.attempt(), claimed.id(), e);
        }
    }

    private void send(Claimed claimed) {
        GoneEndpoint gone = claimed.gone();
        if (gone != null && gone.covers(claimed.createdAt())) {
            finish(claimed, notSent(gone.notSent()), "dead", clock.instant());
            return;
        }
        List<String> signing;
        try {
            signing = secrets.active(claimed.tenantId(), clock.instant());
        } catch (SecretUnavailableException e) {
            // Not sent unsigned, and not the receiver's fault: retried on the schedule, in case the key ring is fixed.
            log.error("Cannot sign delivery {} of tenant {}: {}", claimed.id(), claimed.tenantId(), e.getMessage());
            conclude(claimed, clock.instant(), UNSIGNABLE);
            return;
        }
        String host = HostGuards.endpoint(claimed.url());
        Bulkhead bulkhead = guards.bulkhead(host);
        try {
            // Parks this virtual thread, first come first served, while the host has its fill of attempts.
            bulkhead.acquirePermission();
        } catch (BulkheadFullException e) {
            defer(
                    claimed,
                    clock.instant().plusSeconds(1),
                    "its host has had " + settings.maxConcurrentPerHost() + " attempts under way for "
                            + settings.bulkheadWait().toMillis() + " ms");
            return;
        }
        Instant now = clock.instant();
        Outcome outcome;
        // The permit guards the receiver, so it is held for the HTTP exchange only, not while the outcome is recorded.
        try {
            CircuitBreaker breaker = guards.circuitBreaker(host);
            if (!breaker.tryAcquirePermission()) {
                defer(claimed, guards.whenTheCircuitMayLetItThrough(breaker, now), "the circuit for its host is open");
                return;
            }
            outcome = post(claimed, signing, now);
            HostGuards.judge(breaker, outcome);
        } finally {
            bulkhead.onComplete();
        }
        conclude(claimed, now, outcome);
    }

    private Outcome post(Claimed claimed, List<String> signing, Instant now) {
        Outcome outcome = sender.post(
                claimed.url(), WebhookSigner.headers(claimed, signing, now.getEpochSecond()), claimed.body());
        Timer.builder("agentry.webhook.attempts")
                .description("Webhook attempts by outcome")
                .tag("outcome", outcomeTag(outcome))
                .register(meters)
                .record(Duration.ofMillis(outcome.latencyMs()));
        return outcome;
    }

    private void conclude(Claimed claimed, Instant startedAt, Outcome outcome) {
        Attempt attempt = new Attempt(
                startedAt, outcome.latencyMs(), outcome.statusCode(), outcome.responseBody(), outcome.error());
        Instant now = clock.instant();
        Integer code = outcome.statusCode();
        if (outcome.succeeded()) {
            finish(claimed, attempt, "succeeded", now);
            log.debug(
                    "Delivered {} of {} to its endpoint in attempt {}.",
                    claimed.eventType(),
                    claimed.subjectId(),
                    claimed.attempt());
            return;
        }
        if (outcome.refused()) {
            finish(claimed, attempt, "dead", now);
            log.warn("Delivery {} of {} refused: {}", claimed.id(), claimed.subjectId(), outcome.error());
            return;
        }
        if (code != null && code == 410) {
            endpoints.markGone(claimed.tenantId(), claimed.url(), now, null);
            finish(claimed, attempt, "dead", now);
            log.warn("The endpoint of {} answered 410 Gone; no more deliveries to it.", claimed.subjectId());
            return;
        }
        if (outcome != UNSIGNABLE) {
            // Not the receiver's fault when its message could not be signed; anything else counts against it.
            Instant failingSince = endpoints.failingSince(claimed.tenantId(), claimed.url(), startedAt);
            if (!failingSince.isAfter(now.minus(settings.disableAfter()))) {
                String reason = "every attempt since " + failingSince + " failed";
                endpoints.markGone(claimed.tenantId(), claimed.url(), now, reason);
                finish(claimed, attempt, "dead", now);
                log.warn("The endpoint of {} is given up: {}; no more deliveries to it.", claimed.subjectId(), reason);
                return;
            }
        }
        if (claimed.manual() || claimed.attempt() >= settings.retrySchedule().size()) {
            finish(claimed, attempt, "dead", now);
            log.warn(
                    "Delivery {} of {} is dead after attempt {}: {}",
                    claimed.id(),
                    claimed.subjectId(),
                    claimed.attempt(),
                    describe(outcome));
            return;
        }
        Instant next = now.plus(RetryDelays.after(settings, claimed.attempt(), outcome));
        deliveries.record(claimed, attempt, "pending", next, now);
        log.info(
                "Attempt {} of delivery {} failed ({}); next attempt at {}.",
                claimed.attempt(),
                claimed.id(),
                describe(outcome),
                next);
        trigger(claimed.id(), next);
    }

    private void finish(Claimed claimed, Attempt attempt, String status, Instant now) {
        deliveries.record(claimed, attempt, status, null, now);
    }

    private void defer(Claimed claimed, Instant at, String why) {
        log.debug("Deferring delivery {} to {}: {}.", claimed.id(), at, why);
        deliveries.release(claimed, at, clock.instant());
        trigger(claimed.id(), at);
    }

    private Attempt notSent(String why) {
        return new Attempt(clock.instant(), 0, null, null, why);
    }

    private static String describe(Outcome outcome) {
        return outcome.statusCode() != null ? "HTTP " + outcome.statusCode() : String.valueOf(outcome.error());
    }

    private static String outcomeTag(Outcome outcome) {
        if (outcome.refused()) {
            return "refused";
        }
        if (outcome.statusCode() == null) {
            return "error";
        }
        return outcome.succeeded() ? "success" : "http_" + outcome.statusCode() / 100 + "xx";
    }

    /** Stops taking work and waits for attempts under way, so they are recorded rather than retried. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        timers.shutdownNow();
        attempts.shutdown();
        if (!attempts.awaitTermination(settings.lease().toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("Webhook attempts still running at shutdown; their leases expire and they are retried.");
        }
    }
}
