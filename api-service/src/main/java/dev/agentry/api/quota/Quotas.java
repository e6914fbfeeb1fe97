package dev.agentry.api.quota;

import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;

/**
 * Per-tenant quotas: the limits in force (tenant override, else the default). Days are UTC days. The task feature
 * enforces them when it admits work and reports what a tenant has used ({@link TenantUsage}).
 */
@Service
@EnableConfigurationProperties(QuotaProperties.class)
public class Quotas {

    private final TenantQuotas overrides;
    private final QuotaProperties defaults;
    private final Map<TenantId, Cached> cache = new ConcurrentHashMap<>();

    Quotas(TenantQuotas overrides, QuotaProperties defaults) {
        this.overrides = overrides;
        this.defaults = defaults;
    }

    /** The limits of one tenant; zero means none. */
    public record Limits(int maxRunningTasks, int tasksPerDay, BigDecimal spendPerDayUsd, int requestsPerSecond) {}

    private record Cached(Limits limits, long at) {}

    public Limits limits(TenantId tenant) {
        TenantQuotas.Overrides own = overrides.find(tenant).orElse(new TenantQuotas.Overrides(null, null, null, null));
        return new Limits(
                own.maxRunningTasks() != null ? own.maxRunningTasks() : defaults.maxRunningTasks(),
                own.tasksPerDay() != null ? own.tasksPerDay() : defaults.tasksPerDay(),
                own.spendPerDayUsd() != null ? own.spendPerDayUsd() : defaults.spendPerDayUsd(),
                own.requestsPerSecond() != null ? own.requestsPerSecond() : defaults.requestsPerSecond());
    }

    /** As {@link #limits}, up to {@code agentry.api.quotas.cache-for} old: for checks on every request. */
    public Limits cachedLimits(TenantId tenant) {
        long now = System.nanoTime();
        Cached cached = cache.get(tenant);
        if (cached == null || now - cached.at() > defaults.cacheFor().toNanos()) {
            cached = new Cached(limits(tenant), now);
            cache.put(tenant, cached);
        }
        return cached.limits();
    }

    void forget(TenantId tenant) {
        cache.remove(tenant);
    }

    /** The start of the current UTC day, from which the daily quotas count. */
    public static Instant startOfDay() {
        return Instant.now().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    /** How long until the daily quotas reset. */
    public static Duration untilMidnight() {
        return Duration.between(Instant.now(), startOfDay().plus(Duration.ofDays(1)));
    }
}
