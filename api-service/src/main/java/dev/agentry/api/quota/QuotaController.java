package dev.agentry.api.quota;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.TenantId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The caller's tenant's quotas and what it has used of them; operators set a tenant's own quotas. */
@RestController
class QuotaController {

    private static final Logger log = LoggerFactory.getLogger(QuotaController.class);

    private final Quotas quotas;
    private final TenantQuotas overrides;
    private final TenantUsage usage;

    QuotaController(Quotas quotas, TenantQuotas overrides, TenantUsage usage) {
        this.quotas = quotas;
        this.overrides = overrides;
        this.usage = usage;
    }

    record QuotaView(String tenantId, Quotas.Limits limits, TenantUsage.Usage usage, Instant resetsAt) {}

    @GetMapping(path = "/api/v1/quotas", produces = MediaType.APPLICATION_JSON_VALUE)
    QuotaView get(TenantId tenant) {
        return view(tenant);
    }

    @PutMapping(
            path = "/api/v1/admin/tenants/{tenantId}/quotas",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    QuotaView set(
            Caller caller,
            @PathVariable String tenantId,
            @RequestBody(required = false) TenantQuotas.@Nullable Overrides body) {
        TenantQuotas.Overrides requested = body == null ? new TenantQuotas.Overrides(null, null, null, null) : body;
        Map<String, String> errors = new LinkedHashMap<>();
        if (requested.maxRunningTasks() != null && requested.maxRunningTasks() < 0) {
            errors.put("max_running_tasks", "must be 0 (no limit) or more");
        }
        if (requested.tasksPerDay() != null && requested.tasksPerDay() < 0) {
            errors.put("tasks_per_day", "must be 0 (no limit) or more");
        }
        if (requested.spendPerDayUsd() != null && requested.spendPerDayUsd().signum() < 0) {
            errors.put("spend_per_day_usd", "must be 0 (no limit) or more");
        }
        if (requested.requestsPerSecond() != null && requested.requestsPerSecond() < 0) {
            errors.put("requests_per_second", "must be 0 (no limit) or more");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        TenantId tenant = new TenantId(tenantId);
        if (!overrides.update(tenant, requested)) {
            throw new NotFoundException("tenant not found", "No tenant " + tenantId + ".");
        }
        quotas.forget(tenant);
        log.info("Quotas of tenant {} set by operator {}.", tenant, caller.subject());
        return view(tenant);
    }

    private QuotaView view(TenantId tenant) {
        return new QuotaView(
                tenant.value(),
                quotas.limits(tenant),
                usage.of(tenant),
                Quotas.startOfDay().plus(java.time.Duration.ofDays(1)));
    }
}
