package dev.agentry.api.pullrequest;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.DomainException;
import dev.agentry.api.error.UnavailableException;
import dev.agentry.api.error.UnprocessableException;
import dev.agentry.api.error.UpstreamFailedException;
import dev.agentry.api.stream.LiveEntries;
import dev.agentry.api.task.TaskPullRequests;
import dev.agentry.api.tenant.TenantId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Waits for the answer to a create-pr without holding a thread: it watches the task's live log entries, which
 * every API instance receives once the projector (on whichever instance) has committed them, and looks at the
 * task row when one arrives. The row is also read once right after the watch starts (the answer may be in
 * already) and once at {@code agentry.api.pull-requests.wait-timeout}, which answers 202 if the task is still
 * {@code creating_pr}, or the answer if only its live entry was lost.
 */
@Component
class PullRequestOutcomes {

    private static final Executor VIRTUAL =
            task -> Thread.ofVirtual().name("create-pr-answer").start(task);
    private static final Duration RATE_LIMIT_RETRY = Duration.ofSeconds(60);

    private final TaskPullRequests tasks;
    private final LiveEntries live;
    private final PullRequestProperties properties;

    PullRequestOutcomes(TaskPullRequests tasks, LiveEntries live, PullRequestProperties properties) {
        this.tasks = tasks;
        this.live = live;
        this.properties = properties;
    }

    /** @param since the task's log position when the request was made; the worker's answer follows it */
    CompletableFuture<PullRequestService.Outcome> await(TenantId tenant, UUID id, long since) {
        CompletableFuture<PullRequestService.Outcome> answer = new CompletableFuture<>();
        LiveEntries.Watch watch =
                live.watch(id, entry -> VIRTUAL.execute(() -> settle(tenant, id, since, answer, false)));
        answer.whenComplete((outcome, failure) -> watch.close());
        settle(tenant, id, since, answer, false);
        CompletableFuture.delayedExecutor(properties.waitTimeout().toMillis(), TimeUnit.MILLISECONDS, VIRTUAL)
                .execute(() -> settle(tenant, id, since, answer, true));
        return answer;
    }

    private void settle(
            TenantId tenant, UUID id, long since, CompletableFuture<PullRequestService.Outcome> answer, boolean last) {
        if (answer.isDone()) {
            return;
        }
        try {
            TaskPullRequests.Subject task = tasks.read(tenant, id);
            switch (task.status()) {
                case PR_CREATED ->
                    answer.complete(new PullRequestService.Created(task.prUrl(), task.prNumber(), task.branch()));
                case CREATING_PR -> {
                    if (last) {
                        answer.complete(new PullRequestService.Pending(
                                id,
                                "creating_pr",
                                "The pull request is still being created; GET the task for pr_url once it is"
                                        + " pr_created."));
                    }
                }
                default -> answer.completeExceptionally(failure(id, since));
            }
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
    }

    /** Why the task left {@code creating_pr} without a pull request: the worker's reason, as a domain failure. */
    private DomainException failure(UUID id, long since) {
        Optional<TaskPullRequests.Failure> failed = tasks.lastFailure(id, since);
        if (failed.isEmpty()) {
            return new ConflictException("Task " + id + " changed (cancelled?) before its pull request was created.");
        }
        String error = failed.get().error();
        return switch (failed.get().reason()) {
            case "no_changes" -> new ConflictException("no changes", "Task " + id + ": " + error);
            case "bad_token" ->
                new UnprocessableException(
                        "invalid access_token", error, Map.of("access_token", "was refused or is missing"));
            case "not_github" ->
                new UnprocessableException(
                        "unsupported remote",
                        error,
                        Map.of("repo_url", "is not on GitHub; only GitHub is supported yet"));
            case "workspace_lost" -> new ConflictException("workspace lost", error);
            case "invalid_base" ->
                new UnprocessableException(
                        "invalid target_branch", error, Map.of("target_branch", "is not a branch of the repository"));
            case "rate_limited" -> new UnavailableException("github rate limited", error, RATE_LIMIT_RETRY);
            default -> new UpstreamFailedException("pull request failed", error);
        };
    }
}
