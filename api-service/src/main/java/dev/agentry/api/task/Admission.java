package dev.agentry.api.task;

import dev.agentry.api.error.QuotaExceededException;
import dev.agentry.api.quota.Quotas;
import dev.agentry.api.tenant.TenantId;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The quota checks work passes within the transaction that writes it. A refused submit is a 429 whose
 * {@code Retry-After} is the next UTC midnight, and rolls the row back. Work of a tenant with a running-tasks limit
 * waits {@code pending}: its run is not published here, and the {@link AdmissionDispatcher} is woken (by a
 * {@link Deferred} event after the commit) to admit it when the tenant has room.
 */
@Component
class Admission {

    private final Quotas quotas;
    private final Tasks tasks;
    private final AdmissionQueue queue;
    private final ApplicationEventPublisher events;

    Admission(Quotas quotas, Tasks tasks, AdmissionQueue queue, ApplicationEventPublisher events) {
        this.quotas = quotas;
        this.tasks = tasks;
        this.queue = queue;
        this.events = events;
    }

    /** Work left to the dispatcher by a transaction; heard once that transaction has committed. */
    record Deferred(UUID taskId) {}

    /**
     * Accepts one more task of the tenant, after its row is written: a lock per tenant serializes concurrent
     * submits, so the daily count cannot be overrun by a race. Answers whether its run may go to the workers now.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean acceptNewTask(TenantId tenant, UUID taskId) {
        Quotas.Limits limits = quotas.limits(tenant);
        if (limits.spendPerDayUsd().signum() > 0
                && tasks.spentSince(tenant, Quotas.startOfDay()).compareTo(limits.spendPerDayUsd()) >= 0) {
            throw new QuotaExceededException(
                    "quota exceeded",
                    "The daily spend limit of " + limits.spendPerDayUsd().toPlainString()
                            + " USD is reached; it resets at midnight UTC.",
                    Quotas.untilMidnight());
        }
        if (limits.tasksPerDay() > 0) {
            queue.lockTenantQuota(tenant);
            if (tasks.createdSince(tenant, Quotas.startOfDay()) > limits.tasksPerDay()) {
                throw new QuotaExceededException(
                        "quota exceeded",
                        "The daily limit of " + limits.tasksPerDay() + " tasks is reached; it resets at midnight UTC.",
                        Quotas.untilMidnight());
            }
        }
        return limits.maxRunningTasks() == 0 || defer(taskId);
    }

    /**
     * Accepts a follow-up iteration, after the row has moved to it. It runs an agent like a new task, so it counts
     * against the running-tasks limit the same way, queued with the tenant's new tasks by when it was asked for.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean acceptFollowUp(TenantId tenant, UUID taskId) {
        return quotas.limits(tenant).maxRunningTasks() == 0 || defer(taskId);
    }

    private boolean defer(UUID taskId) {
        queue.defer(taskId);
        events.publishEvent(new Deferred(taskId));
        return false;
    }
}
