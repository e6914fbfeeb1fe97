package dev.agentry.api.quota;

import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;

/**
 * What a tenant has used of its quotas today. The task feature, which owns the tasks, answers it; this feature
 * only shows it next to the limits, so it never reads the task tables itself.
 */
public interface TenantUsage {

    Usage of(TenantId tenant);

    /**
     * @param runningTasks tasks handed to the workers and not finished: what the running-tasks limit counts
     * @param tasksToday tasks created since the start of the UTC day
     * @param spentTodayUsd reported cost of the iterations finished since the start of the UTC day
     */
    record Usage(int runningTasks, int tasksToday, BigDecimal spentTodayUsd) {}
}
