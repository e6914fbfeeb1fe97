package dev.agentry.api.quota;

import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** A tenant's own quota overrides (null: the deployment default). */
@Repository
class TenantQuotas {

    private final JdbcClient jdbc;

    TenantQuotas(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Overrides(
            @Nullable Integer maxRunningTasks,
            @Nullable Integer tasksPerDay,
            @Nullable BigDecimal spendPerDayUsd,
            @Nullable Integer requestsPerSecond) {}

    Optional<Overrides> find(TenantId tenant) {
        return jdbc.sql("""
                select max_running_tasks, max_tasks_per_day, max_spend_per_day_usd, requests_per_second
                from tenants where id = ?""")
                .param(tenant.value())
                .query((rs, n) -> new Overrides(
                        (Integer) rs.getObject("max_running_tasks"),
                        (Integer) rs.getObject("max_tasks_per_day"),
                        rs.getBigDecimal("max_spend_per_day_usd"),
                        (Integer) rs.getObject("requests_per_second")))
                .optional();
    }

    boolean update(TenantId tenant, Overrides overrides) {
        return jdbc.sql("""
                update tenants set max_running_tasks = ?, max_tasks_per_day = ?, max_spend_per_day_usd = ?,
                                   requests_per_second = ?
                where id = ?""")
                        .params(
                                overrides.maxRunningTasks(),
                                overrides.tasksPerDay(),
                                overrides.spendPerDayUsd(),
                                overrides.requestsPerSecond(),
                                tenant.value())
                        .update()
                > 0;
    }
}
