package dev.agentry.scheduler.webhook;

import dev.agentry.scheduler.webhook.WebhookSender.Outcome;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed attempt waits for the next: its step of {@code retry-schedule} stretched by up to {@code jitter},
 * and at least what a {@code 429} or {@code 503} asked for in {@code Retry-After} (capped at {@code max-retry-after}).
 */
final class RetryDelays {

    static Duration after(WebhookProperties settings, int attempt, Outcome outcome) {
        Duration delay = jittered(settings, settings.retrySchedule().get(attempt));
        Integer code = outcome.statusCode();
        Duration asked = outcome.retryAfter();
        if (asked != null && code != null && (code == 429 || code == 503)) {
            Duration capped = asked.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : asked;
            return capped.compareTo(delay) > 0 ? capped : delay;
        }
        return delay;
    }

    private static Duration jittered(WebhookProperties settings, Duration delay) {
        if (delay.isZero() || settings.jitter() == 0) {
            return delay;
        }
        double stretch = 1 + ThreadLocalRandom.current().nextDouble() * settings.jitter();
        return Duration.ofMillis(Math.round(delay.toMillis() * stretch));
    }

    private RetryDelays() {}
}
