package dev.agentry.api.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the API service, prefix {@code agentry.api}.
 *
 * @param bootstrapToken a bearer token created at start for the bootstrap tenant, if set
 * @param bootstrapTenant the tenant the bootstrap token belongs to
 * @param bootstrapAdminEmail the email of the bootstrap tenant's first admin user
 * @param bootstrapAdminPassword if set, that admin user is created at start with this password
 * @param allowLocalRepos accept {@code file://} and local-path repositories (the local platform turns it on)
 * @param maxBodyBytes the largest request body accepted
 * @param maxPromptBytes the largest prompt accepted, in UTF-8 bytes
 * @param defaultTimeout the task timeout when a request gives none
 * @param maxTimeout the largest {@code timeout_seconds} accepted
 * @param idempotencyWindow how long an {@code Idempotency-Key} is remembered
 * @param runtimes the runtime names ({@code config.cli}) workers offer
 */
@Validated
@ConfigurationProperties("agentry.api")
public record ApiProperties(
        @Nullable String bootstrapToken,
        @DefaultValue("default") @NotBlank String bootstrapTenant,
        @DefaultValue("admin@agentry.local") @NotBlank String bootstrapAdminEmail,
        @Nullable String bootstrapAdminPassword,
        @DefaultValue("false") boolean allowLocalRepos,
        @DefaultValue("1048576") @Min(1024) long maxBodyBytes,
        @DefaultValue("102400") @Min(1) @Max(10485760) int maxPromptBytes,
        @DefaultValue("600s") Duration defaultTimeout,
        @DefaultValue("24h") Duration maxTimeout,
        @DefaultValue("24h") Duration idempotencyWindow,
        @DefaultValue({"claude-code", "command", "echo"}) List<String> runtimes,
        @DefaultValue Outbox outbox) {

    /**
     * @param pollInterval how often the relay looks for rows when nothing woke it
     * @param batchSize rows published per round trip
     * @param sendTimeout how long one batch may wait for Kafka's acknowledgements
     * @param maxAttempts how many times a row Kafka refuses for good (too large, invalid topic) is sent before it is
     *     set aside as a dead letter
     * @param lagRefresh how often the {@code agentry.outbox.lag} gauge reads the oldest row; scrapes in between age the
     *     last reading
     */
    public record Outbox(
            @DefaultValue("200ms") Duration pollInterval,
            @DefaultValue("500") @Min(1) int batchSize,
            @DefaultValue("15s") Duration sendTimeout,
            @DefaultValue("5s") Duration maxBackoff,
            @DefaultValue("3") @Min(1) int maxAttempts,
            @DefaultValue("5s") Duration lagRefresh) {}
}
