package dev.agentry.api.quota;

import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.CallerAuthentication;
import dev.agentry.api.web.ProblemResponses;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The request rate limit per credential (an API token, or a signed-in user): resilience4j rate limiters, one per
 * credential, refilled every second. Over the limit the answer is 429 with {@code Retry-After}. Runs after Spring
 * Security's filters, so only authenticated requests count; each API instance limits on its own.
 */
@Component
@Order(0)
class RateLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final int MAX_LIMITERS = 100_000;

    private final Quotas quotas;
    private final ProblemResponses problems;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();

    RateLimitFilter(Quotas quotas, ProblemResponses problems) {
        this.quotas = quotas;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication auth) {
            Caller caller = auth.caller();
            int limit = quotas.cachedLimits(caller.tenant()).requestsPerSecond();
            if (limit > 0 && !limiter(caller, limit).acquirePermission()) {
                log.warn(
                        "Answering 429: {} {} of tenant {} is over {} requests per second.",
                        caller.kind(),
                        caller.subject(),
                        caller.tenant(),
                        limit);
                response.setHeader("Retry-After", "1");
                problems.write(
                        request,
                        response,
                        HttpStatus.TOO_MANY_REQUESTS,
                        "rate limited",
                        "More than " + limit + " requests per second with this token; retry after a second.",
                        false);
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private RateLimiter limiter(Caller caller, int limit) {
        if (limiters.size() > MAX_LIMITERS) {
            limiters.clear();
        }
        String key = caller.kind() + ":" + caller.subject() + ":" + limit;
        return limiters.computeIfAbsent(
                key,
                k -> RateLimiter.of(
                        k,
                        RateLimiterConfig.custom()
                                .limitForPeriod(limit)
                                .limitRefreshPeriod(PERIOD)
                                .timeoutDuration(Duration.ZERO)
                                .build()));
    }
}
