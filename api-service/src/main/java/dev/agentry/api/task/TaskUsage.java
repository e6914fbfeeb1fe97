package dev.agentry.api.task;

import dev.agentry.api.quota.Quotas;
import dev.agentry.api.quota.TenantUsage;
import dev.agentry.api.tenant.TenantId;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** A tenant's use of its quotas, counted on its tasks. */
@Component
class TaskUsage implements TenantUsage {

    private final Tasks tasks;

    TaskUsage(Tasks tasks) {
        this.tasks = tasks;
    }

    @Override
    public Usage of(TenantId tenant) {
        Instant since = Quotas.startOfDay();
        return new Usage(
                tasks.admittedActive(tenant), tasks.createdSince(tenant, since), tasks.spentSince(tenant, since));
    }
}
