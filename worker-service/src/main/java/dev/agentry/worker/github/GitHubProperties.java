package dev.agentry.worker.github;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code agentry.worker.github.*}: where GitHub's API is and which git hosts are GitHub.
 *
 * @param baseUrl the REST API root: {@code https://api.github.com}, or {@code https://HOST/api/v3} for GitHub
 *     Enterprise Server
 * @param hosts the git hosts whose repositories are on that GitHub ({@code github.com}; a GHES host name); a host
 *     may carry a port ({@code 127.0.0.1:8443}). Pull requests for any other remote are refused
 * @param maxAttempts calls per GitHub request, the first included, while GitHub rate-limits or is unavailable
 * @param initialBackoff the wait before the second attempt when GitHub names none; doubled each attempt
 * @param maxWait the longest wait between attempts; a rate limit that resets later fails at once, clearly
 * @param requestTimeout how long one HTTP call may take
 */
@Validated
@ConfigurationProperties("agentry.worker.github")
public record GitHubProperties(
        @DefaultValue("https://api.github.com") @NotNull URI baseUrl,
        @DefaultValue("github.com") @NotEmpty List<String> hosts,
        @DefaultValue("5") @Min(1) @Max(20) int maxAttempts,
        @DefaultValue("1s") @NotNull Duration initialBackoff,
        @DefaultValue("60s") @NotNull Duration maxWait,
        @DefaultValue("30s") @NotNull Duration requestTimeout) {

    public GitHubProperties {
        hosts = List.copyOf(hosts);
    }
}
