package dev.agentry.worker.pullrequest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The task branch settings, beside the commit identity under {@code agentry.worker.git} (its
 * {@code author-name}/{@code author-email} are {@link dev.agentry.worker.config.WorkerProperties.Git}).
 *
 * @param branchPrefix task branches are {@code <prefix><first 8 characters of the task id>}
 * @param pushTimeout how long committing, pushing and opening the pull request may take together
 */
@Validated
@ConfigurationProperties("agentry.worker.git")
public record TaskBranchProperties(
        @DefaultValue("agentry/task-") @NotBlank String branchPrefix,
        @DefaultValue("5m") @NotNull Duration pushTimeout) {}
