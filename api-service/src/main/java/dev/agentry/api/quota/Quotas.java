package dev.agentry.api.quota;

import dev.agentry.api.tenant.TenantId;
import dev.agentry.api.web.TooManyRequestsException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Per-tenant quotas: the limits in force (tenant override, else the default) and the daily checks a submit
 * passes. Days are UTC days; a refused submit is a 429 whose {@code Retry-After} is the next UTC midnight.
 */
@Service
@EnableConfigurationProperties(QuotaProperties.class)
public class Quotas {

    private final JdbcClient jdbc;
    private final TenantQuotas overrides;
    private final QuotaProperties defaults;
    private final Map<TenantId, Cached> cache = new ConcurrentHashMap<>();
    private final AdmissionDispatcher admissions;

    Quotas(JdbcClient jdbc, TenantQuotas overrides, QuotaProperties defaults, @Lazy AdmissionDispatcher admissions) {
        this.jdbc = jdbc;
        this.admissions = admissions;
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
    Limits cachedLimits(TenantId tenant) {
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

    /**
     * Accepts one more task of the tenant within the caller's transaction, after its row is written: a lock per
     * tenant serializes concurrent submits, so the daily count cannot be overrun by a race; a refusal rolls the
     * row back. Answers whether the task may go to the workers at once; if not (the tenant has a running-tasks
     * limit), the task waits {@code pending} for the {@link AdmissionDispatcher}, and the caller must not publish
     * its run.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean acceptNewTask(TenantId tenant, UUID taskId) {
        Limits limits = limits(tenant);
        if (limits.spendPerDayUsd().signum() > 0 && spentToday(tenant).compareTo(limits.spendPerDayUsd()) >= 0) {
            throw new TooManyRequestsException(
                    "quota exceeded",
                    "The daily spend limit of " + limits.spendPerDayUsd().toPlainString()
                            + " USD is reached; it resets at midnight UTC.",
                    untilMidnight());
        }
        if (limits.tasksPerDay() > 0) {
            jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
                    .param("agentry.quota." + tenant.value())
                    .query((rs, n) -> 1)
                    .single();
            if (tasksToday(tenant) > limits.tasksPerDay()) {
                throw new TooManyRequestsException(
                        "quota exceeded",
                        "The daily limit of " + limits.tasksPerDay() + " tasks is reached; it resets at midnight UTC.",
                        untilMidnight());
            }
        }
        return limits.maxRunningTasks() == 0 || deferToAdmission(taskId);
    }

    /**
     * Accepts a follow-up iteration of a finished task within the caller's transaction, after the task row has been
     * moved to the new iteration. A follow-up runs an agent like a new task, so it counts against the running-tasks
     * limit the same way: answers whether its run may go to the worker at once; if not (the tenant has a
     * running-tasks limit), the iteration waits {@code pending} for the {@link AdmissionDispatcher}, which queues it
     * with the tenant's new tasks by the time it was asked for, and the caller must not publish its run.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean acceptFollowUp(TenantId tenant, UUID taskId) {
        return limits(tenant).maxRunningTasks() == 0 || deferToAdmission(taskId);
    }

    /** Leaves the task to the dispatcher, which is woken once the caller's transaction has committed. */
    private boolean deferToAdmission(UUID taskId) {
        jdbc.sql("update tasks set admitted_at = null where id = ?")
                .param(taskId)
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                admissions.wakeUp();
            }
        });
        return false;
    }

    public int tasksToday(TenantId tenant) {
        return jdbc.sql("select count(*) from tasks where tenant_id = ? and created_at >= ?")
                .params(tenant.value(), Timestamp.from(startOfDay()))
                .query(Integer.class)
                .single();
    }

    public BigDecimal spentToday(TenantId tenant) {
        return jdbc.sql("""
                select coalesce(sum((usage ->> 'cost_usd')::numeric), 0) from task_iterations
                where tenant_id = ? and finished_at >= ? and usage ->> 'cost_usd' is not null""")
                .params(tenant.value(), Timestamp.from(startOfDay()))
                .query(BigDecimal.class)
                .single();
    }

    /** Tasks handed to the workers and not finished: what the running-tasks limit counts. */
    public int running(TenantId tenant) {
        return jdbc.sql("""
                select count(*) from tasks where tenant_id = ? and admitted_at is not null
                and status in ('pending', 'cloning', 'running', 'creating_pr')""").param(tenant.value()).query(Integer.class).single();
    }

    static Instant startOfDay() {
        return Instant.now().atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
    }

    static Duration untilMidnight() {
        return Duration.between(Instant.now(), startOfDay().plus(Duration.ofDays(1)));
    }
}
