package dev.agentry.api.quota;

import dev.agentry.api.tenant.CallerAuthentication;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.api.web.ProblemResponses;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code agentry.api.quotas.sse-connections} open task streams per tenant on this API instance; one more
 * is a 429. A stream counts from its request until its asynchronous response completes, fails or times out.
 */
@Component
@Order(1)
class SseConnectionLimitFilter extends OncePerRequestFilter {

    private final int limit;
    private final ProblemResponses problems;
    private final Map<TenantId, AtomicInteger> open = new ConcurrentHashMap<>();

    SseConnectionLimitFilter(QuotaProperties properties, ProblemResponses problems) {
        this.limit = properties.sseConnections();
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return limit == 0
                || !"GET".equals(request.getMethod())
                || !request.getRequestURI().endsWith("/stream");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication auth)) {
            chain.doFilter(request, response);
            return;
        }
        AtomicInteger count = open.computeIfAbsent(auth.caller().tenant(), t -> new AtomicInteger());
        if (count.incrementAndGet() > limit) {
            count.decrementAndGet();
            response.setHeader("Retry-After", "5");
            problems.write(
                    request,
                    response,
                    HttpStatus.TOO_MANY_REQUESTS,
                    "too many streams",
                    "This tenant has " + limit + " task streams open; close one first.",
                    false);
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        };
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        release.run();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        release.run();
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        release.run();
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {}
                });
            } else {
                release.run();
            }
        }
    }
}
