package dev.agentry.api.identity;

import dev.agentry.api.error.QuotaExceededException;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows password guessing (OWASP API2): at most {@code agentry.api.auth.login-attempts-per-minute} logins per
 * email per minute, counted before the password is checked, whether the email exists or not.
 */
@Component
class LoginThrottle {

    private static final int MAX_TRACKED = 100_000;

    private final RateLimiterConfig config;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    LoginThrottle(IdentityProperties properties) {
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(properties.loginAttemptsPerMinute())
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build();
    }

    void attempt(String email) {
        if (limiters.size() > MAX_TRACKED) {
            limiters.clear();
        }
        String key = Users.normalize(email);
        if (!limiters.computeIfAbsent(key, k -> RateLimiter.of("login", config)).acquirePermission()) {
            throw new QuotaExceededException(
                    "rate limited", "Too many login attempts for this email; wait a minute.", Duration.ofMinutes(1));
        }
    }
}
