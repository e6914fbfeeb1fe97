package dev.agentry.api.quota;

import jakarta.validation.constraints.Min;
import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The default quotas of every tenant, prefix {@code agentry.api.quotas}; a platform operator overrides them per
 * tenant ({@code PUT /api/v1/admin/tenants/{id}/quotas}). Zero means no limit.
 *
 * @param maxRunningTasks tasks of one tenant handed to workers at once; more wait {@code pending}
 * @param tasksPerDay tasks one tenant may create per UTC day
 * @param spendPerDayUsd reported cost one tenant may spend per UTC day; once reached, submits are refused
 * @param requestsPerSecond requests one token (or one signed-in user) may make per second
 * @param sseConnections open task streams per tenant
 * @param cacheFor how long a tenant's limits are cached by the rate limiter
 * @param admissionInterval how often waiting tasks are looked at when nothing woke the dispatcher
 * @param admissionBatch the most tasks of one tenant admitted in one pass
 */
@Validated
@ConfigurationProperties("agentry.api.quotas")
public record QuotaProperties(
        @DefaultValue("0") @Min(0) int maxRunningTasks,
        @DefaultValue("0") @Min(0) int tasksPerDay,
        @DefaultValue("0") BigDecimal spendPerDayUsd,
        @DefaultValue("0") @Min(0) int requestsPerSecond,
        @DefaultValue("10000") @Min(0) int sseConnections,
        @DefaultValue("10s") Duration cacheFor,
        @DefaultValue("250ms") Duration admissionInterval,
        @DefaultValue("100") @Min(1) int admissionBatch) {}
