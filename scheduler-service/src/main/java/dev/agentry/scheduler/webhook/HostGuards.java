package dev.agentry.scheduler.webhook;

import dev.agentry.scheduler.webhook.WebhookSender.Outcome;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A bulkhead and a circuit breaker per receiving server ({@code host:port}), so a slow or failing receiver ties up
 * only its own permits and only its own deliveries wait while it recovers.
 */
final class HostGuards {

    private final WebhookProperties settings;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;

    HostGuards(WebhookProperties settings) {
        this.settings = settings;
        WebhookProperties.CircuitBreaker breaker = settings.circuitBreaker();
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(breaker.minimumCalls(), 10))
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.openFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentPerHost())
                .maxWaitDuration(settings.bulkheadWait())
                .fairCallHandlingStrategyEnabled(true)
                .build());
    }

    Bulkhead bulkhead(String host) {
        return bulkheads.bulkhead(host);
    }

    CircuitBreaker circuitBreaker(String host) {
        return breakers.circuitBreaker(host);
    }

    /** Tells the host's circuit how the exchange went: 5xx and no answer count against it. */
    static void judge(CircuitBreaker breaker, Outcome outcome) {
        if (outcome.statusCode() != null && outcome.statusCode() < 500 || outcome.refused()) {
            breaker.onSuccess(outcome.latencyMs(), TimeUnit.MILLISECONDS);
        } else {
            breaker.onError(outcome.latencyMs(), TimeUnit.MILLISECONDS, new ReceiverFailure());
        }
    }

    /**
     * An open circuit lets probes through after {@code open-for}; the deliveries it turned away come back spread over
     * half that again, not all at once. A half-open one is letting its few probes through right now, so the rest try
     * again within a couple of seconds instead of waiting a whole {@code open-for} more.
     */
    Instant whenTheCircuitMayLetItThrough(CircuitBreaker breaker, Instant now) {
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            return now.plusMillis(1000 + ThreadLocalRandom.current().nextLong(1000));
        }
        long openFor = settings.circuitBreaker().openFor().toMillis();
        return now.plusMillis(openFor + ThreadLocalRandom.current().nextLong(openFor / 2 + 1));
    }

    /** The receiving server, {@code host:port}: what a bulkhead and a circuit breaker protect and judge. */
    static String endpoint(String url) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost();
            if (host == null) {
                return url;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return host.toLowerCase(Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    /** A marker for the circuit breaker: the receiver failed (5xx or no answer). */
    private static final class ReceiverFailure extends RuntimeException {

        ReceiverFailure() {
            super("receiver failed", null, false, false);
        }
    }
}
