package dev.agentry.api.pullrequest;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code agentry.api.pull-requests.*}.
 *
 * @param githubHosts git hosts whose repositories are on GitHub ({@code github.com}, a GHES host, {@code host:port});
 *     create-pr for any other remote answers 422 at once. Keep it equal to the workers'
 *     {@code agentry.worker.github.hosts}
 * @param waitTimeout how long create-pr waits for the worker's answer before it answers 202 with the task still
 *     {@code creating_pr}; the wait holds no thread, it ends when the projected answer reaches this instance
 * @param resendAfter a create-pr for a task that has been {@code creating_pr} this long asks the worker again
 *     (the worker that held it may have died with the request); the worker's answer is idempotent, an open pull
 *     request for the branch is returned
 */
@Validated
@ConfigurationProperties("agentry.api.pull-requests")
public record PullRequestProperties(
        @DefaultValue("github.com") @NotEmpty List<String> githubHosts,
        @DefaultValue("30s") @NotNull Duration waitTimeout,
        @DefaultValue("5m") @NotNull Duration resendAfter) {

    public PullRequestProperties {
        githubHosts = List.copyOf(githubHosts);
    }
}
