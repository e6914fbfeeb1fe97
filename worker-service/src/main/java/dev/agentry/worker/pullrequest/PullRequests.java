package dev.agentry.worker.pullrequest;

import dev.agentry.events.Envelope;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.TaskControl;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskPullRequestFailed.Reason;
import dev.agentry.worker.config.SecretsProperties;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.git.Redactor;
import dev.agentry.worker.github.GitHubClient;
import dev.agentry.worker.github.GitHubException;
import dev.agentry.worker.github.GitHubProperties;
import dev.agentry.worker.github.GitHubRepository;
import dev.agentry.worker.messaging.TaskEventPublisher;
import dev.agentry.worker.process.ProcessCancelledException;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessTimedOutException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Answers {@code task.create_pr} on the worker that holds the workspace: commit what is left, push the task branch
 * with the task's token, open the pull request on GitHub (or return the one already open for the branch), and
 * report {@code task.pr_created} or {@code task.pr_failed}. Runs off the control consumer's thread, so a slow push
 * never delays a cancellation.
 */
@Component
public class PullRequests implements PullRequestHandler, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PullRequests.class);

    private final WorkerProperties worker;
    private final TaskBranchProperties branchProperties;
    private final GitHubProperties github;
    private final GitHubClient client;
    private final TaskBranches branches;
    private final BranchPushes pushes;
    private final TaskEventPublisher events;
    private final @Nullable SecretSealer sealer;
    private final MeterRegistry meters;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("pull-request-", 0).factory());

    PullRequests(
            WorkerProperties worker,
            TaskBranchProperties branchProperties,
            GitHubProperties github,
            GitHubClient client,
            TaskBranches branches,
            BranchPushes pushes,
            TaskEventPublisher events,
            SecretsProperties secrets,
            MeterRegistry meters) {
        this.meters = meters;
        this.worker = worker;
        this.branchProperties = branchProperties;
        this.github = github;
        this.client = client;
        this.branches = branches;
        this.pushes = pushes;
        this.events = events;
        String spec = secrets.sealingKeys();
        this.sealer = spec == null || spec.isBlank() ? null : SecretSealer.fromSpec(spec);
    }

    /**
     * Starts creating the pull request when this worker is the one the message names; returns at once.
     *
     * @return whether this worker took it
     */
    public boolean submit(Envelope<CreatePullRequest> message, @Nullable String traceparent) {
        if (!worker.workerId().equals(message.payload().workerId())) {
            return false;
        }
        executor.execute(() -> create(message, traceparent));
        return true;
    }

    /** Called by the control consumer, on a thread of its own, for a request addressed to this worker. */
    @Override
    public void createPullRequest(
            Envelope<TaskControl> envelope, CreatePullRequest request, @Nullable String traceparent) {
        create(envelope.aggregateId(), envelope.tenantId(), request, traceparent);
    }

    /** Creates the pull request on the calling thread and publishes the answer. */
    void create(Envelope<CreatePullRequest> message, @Nullable String traceparent) {
        create(message.aggregateId(), message.tenantId(), message.payload(), traceparent);
    }

    private void create(UUID taskId, String tenantId, CreatePullRequest request, @Nullable String traceparent) {
        TaskEvent answer;
        String token = null;
        try {
            token = open(request.accessToken());
            answer = createPullRequest(taskId, request, token);
        } catch (PullRequestFailure e) {
            log.warn("Task {} got no pull request: {}", taskId, e.getMessage());
            answer = new TaskPullRequestFailed(request.iteration(), e.getMessage(), e.reason(), e.branch());
        } catch (RuntimeException e) {
            log.error("Task {} got no pull request because of an unexpected error.", taskId, e);
            String text = Redactor.redact("worker error: " + e.getMessage(), token);
            answer = new TaskPullRequestFailed(request.iteration(), text, Reason.PUSH_FAILED, null);
        }
        String outcome = switch (answer) {
            case TaskPullRequestCreated created -> created.existing() ? "existing" : "created";
            case TaskPullRequestFailed failed ->
                "failed_" + failed.reason().name().toLowerCase(java.util.Locale.ROOT);
            default -> "other";
        };
        meters.counter("agentry.worker.pull.requests", "outcome", outcome).increment();
        try {
            events.publish(taskId, tenantId, traceparent, answer).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.error("Task {}: the pull request answer {} could not be sent.", taskId, answer.type(), e);
        }
    }

    private TaskEvent createPullRequest(UUID taskId, CreatePullRequest request, @Nullable String token) {
        Path workspace = worker.workspaceRoot().resolve(taskId.toString());
        if (!Files.isDirectory(workspace.resolve(".git"))) {
            throw new PullRequestFailure(
                    Reason.WORKSPACE_LOST,
                    "the task's workspace is gone from worker " + worker.workerId() + "; submit the task again",
                    null);
        }
        GitHubRepository repository = GitHubRepository.parse(request.repoUrl(), github.hosts())
                .orElseThrow(() -> new PullRequestFailure(
                        Reason.NOT_GITHUB,
                        "only GitHub is supported yet: " + Redactor.redact(request.repoUrl(), token) + " is not on "
                                + String.join(", ", github.hosts()),
                        null));
        if (token == null || token.isBlank()) {
            throw new PullRequestFailure(
                    Reason.BAD_TOKEN, "access_token is required to push the branch and open a pull request", null);
        }
        ProcessScope scope = new ProcessScope(branchProperties.pushTimeout(), worker.killGracePeriod());
        String branch = branches.branchName(taskId);
        try {
            branches.checkout(taskId, workspace, scope);
            branches.commit(taskId, workspace, request.iteration(), request.prompt(), scope);
            if (branches.commitsAhead(workspace, scope) == 0) {
                throw new PullRequestFailure(
                        Reason.NO_CHANGES, "the task made no changes, so there is nothing to push", branch);
            }
            pushes.push(taskId, workspace, branch, request.repoUrl(), token, scope);
            log.info("Task {} pushed branch {} to {}.", taskId, branch, repository);
        } catch (PushFailedException e) {
            throw new PullRequestFailure(
                    e.authentication() ? Reason.BAD_TOKEN : Reason.PUSH_FAILED,
                    e.authentication() ? "the git remote refused access_token: " + e.getMessage() : e.getMessage(),
                    branch);
        } catch (ProcessTimedOutException | ProcessCancelledException e) {
            throw new PullRequestFailure(Reason.PUSH_FAILED, "git push did not finish: " + e.getMessage(), branch);
        }
        String base = blank(request.targetBranch())
                ? branches.baseBranch(workspace, scope).orElse("main")
                : request.targetBranch();
        String title = blank(request.title()) ? defaultTitle(request.prompt()) : request.title();
        String body = blank(request.description()) ? defaultBody(taskId, request.prompt()) : request.description();
        try {
            GitHubClient.Opened opened = client.openPullRequest(repository, token, title, body, branch, base);
            log.info(
                    "Task {} has pull request #{} for {} into {}{}.",
                    taskId,
                    opened.pullRequest().number(),
                    branch,
                    base,
                    opened.existing() ? " (open already)" : "");
            return new TaskPullRequestCreated(
                    request.iteration(),
                    worker.workerId(),
                    branch,
                    opened.pullRequest().number(),
                    opened.pullRequest().htmlUrl(),
                    opened.existing());
        } catch (GitHubException.Unauthorized e) {
            throw new PullRequestFailure(
                    Reason.BAD_TOKEN,
                    "GitHub refused access_token for " + repository + " (" + e.status() + "): " + e.getMessage(),
                    branch);
        } catch (GitHubException.RateLimited e) {
            throw new PullRequestFailure(
                    Reason.RATE_LIMITED,
                    "GitHub kept rate-limiting the token; try again later (" + e.getMessage() + ")",
                    branch);
        } catch (GitHubException e) {
            String message = String.valueOf(e.getMessage());
            if (e.status() == 422 && message.contains("No commits between")) {
                throw new PullRequestFailure(
                        Reason.NO_CHANGES, "GitHub finds no commits between " + base + " and " + branch, branch);
            }
            if (e.status() == 422 && message.matches("(?s).*\\bbase\\b.*invalid.*")) {
                throw new PullRequestFailure(
                        Reason.INVALID_BASE,
                        "GitHub has no branch " + base + " to merge into (" + message + ")",
                        branch);
            }
            throw new PullRequestFailure(
                    Reason.GITHUB_ERROR,
                    "GitHub did not open the pull request (" + e.status() + "): " + e.getMessage(),
                    branch);
        }
    }

    private @Nullable String open(@Nullable SealedSecret secret) {
        if (secret == null) {
            return null;
        }
        if (sealer == null) {
            throw new PullRequestFailure(Reason.BAD_TOKEN, "no sealing keys are configured on this worker", null);
        }
        try {
            return sealer.open(secret);
        } catch (SecretUnavailableException e) {
            throw new PullRequestFailure(Reason.BAD_TOKEN, "access_token cannot be opened: " + e.getMessage(), null);
        }
    }

    static String defaultTitle(String prompt) {
        String line = prompt.strip().lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            return "Changes by Agentry";
        }
        return line.length() <= 72 ? line : line.substring(0, 71) + "…";
    }

    private static String defaultBody(UUID taskId, String prompt) {
        String quoted = prompt.strip();
        // GitHub refuses bodies over 65536 characters; prompts may be longer.
        if (quoted.length() > 60_000) {
            quoted = quoted.substring(0, 60_000) + "\n\n…";
        }
        return "Changes made by an Agentry agent for task `" + taskId + "`.\n\n**Prompt**\n\n" + quoted + "\n";
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
