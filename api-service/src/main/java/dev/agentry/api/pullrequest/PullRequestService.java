package dev.agentry.api.pullrequest;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.UnprocessableException;
import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.task.TaskPullRequests;
import dev.agentry.api.task.TraceContext;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.task.CreatePullRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts a pull request and waits for its answer. The request changes state only through messages: the row goes
 * {@code creating_pr} and a {@code task.create_pr} goes into the outbox in one transaction; the worker's
 * {@code task.pr_created} / {@code task.pr_failed} reaches the row through the projector, and the answer through
 * {@link PullRequestOutcomes}. A retry while {@code creating_pr} waits for the same answer instead of sending a
 * second request; once {@code pr_created}, it returns the pull request.
 */
@Service
@EnableConfigurationProperties(PullRequestProperties.class)
class PullRequestService {

    private static final Logger log = LoggerFactory.getLogger(PullRequestService.class);
    private static final int MAX_TITLE = 256;
    private static final int MAX_BODY = 65536;
    private static final Pattern BRANCH = Pattern.compile("^(?!-)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/-]+(?<![./])$");

    private final TaskPullRequests tasks;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final PullRequestProperties properties;
    private final TraceContext trace;
    private final PullRequestOutcomes outcomes;

    PullRequestService(
            TaskPullRequests tasks,
            Outbox outbox,
            TransactionTemplate transactions,
            PullRequestProperties properties,
            TraceContext trace,
            PullRequestOutcomes outcomes) {
        this.tasks = tasks;
        this.outbox = outbox;
        this.transactions = transactions;
        this.properties = properties;
        this.trace = trace;
        this.outcomes = outcomes;
    }

    record Request(
            @Nullable String title,
            @Nullable String description,
            @Nullable String targetBranch) {}

    sealed interface Outcome {}

    record Created(String prUrl, int prNumber, String branch) implements Outcome {}

    record Pending(UUID id, String status, String message) implements Outcome {}

    /**
     * Refusals that need no worker are thrown at once; the worker's answer completes the future, a failure as the
     * domain exception that says why.
     */
    CompletableFuture<Outcome> create(TenantId tenant, UUID id, Request request) {
        validate(request);
        Long since = transactions.execute(tx -> start(tenant, id, request));
        return outcomes.await(tenant, id, since == null ? 0 : since);
    }

    /** GitHub's own limits, so a request it would refuse is a 400 here rather than a failed push. */
    private static void validate(Request request) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (request.title() != null && request.title().length() > MAX_TITLE) {
            errors.put("title", "must be at most " + MAX_TITLE + " characters");
        }
        if (request.description() != null && request.description().length() > MAX_BODY) {
            errors.put("description", "must be at most " + MAX_BODY + " characters");
        }
        if (request.targetBranch() != null
                && (request.targetBranch().length() > 255
                        || !BRANCH.matcher(request.targetBranch()).matches())) {
            errors.put("target_branch", "is not a branch name");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    /** @return the log position after which the answer will appear */
    private long start(TenantId tenant, UUID id, Request request) {
        TaskPullRequests.Subject task = tasks.lock(tenant, id);
        switch (task.status()) {
            case PR_CREATED -> {
                return task.lastSeq();
            }
            case CREATING_PR -> {
                if (task.updatedAt().isAfter(Instant.now().minus(properties.resendAfter()))) {
                    return task.lastSeq();
                }
                log.warn(
                        "Task {} has been creating its pull request since {}; asking the worker again.",
                        id,
                        task.updatedAt());
            }
            case COMPLETED -> {
                // the one status a pull request is made from
            }
            default ->
                throw new ConflictException("Task " + id + " is "
                        + task.status().wire() + "; a pull request can be created once it has completed.");
        }
        if (task.changesNoFiles()) {
            throw new ConflictException(
                    "no changes",
                    "Task " + id + " ran with " + task.runtime()
                            + ", which changes no files; there is nothing to push.");
        }
        if (task.accessTokenSealed() == null) {
            throw new UnprocessableException(
                    "access_token required",
                    "Task " + id + " has no access_token; one with push rights is needed to create a pull request.",
                    Map.of("access_token", "is required to push the branch and open a pull request"));
        }
        if (!GitHubRemotes.isGitHub(task.repoUrl(), properties.githubHosts())) {
            throw new UnprocessableException(
                    "unsupported remote",
                    "Pull requests can only be created on GitHub; only GitHub is supported yet.",
                    Map.of("repo_url", "is not on GitHub; only GitHub is supported yet"));
        }
        String worker = tasks.workspaceHolder(id)
                .orElseThrow(() -> new ConflictException(
                        "Task " + id + " has no workspace any more (deleted or expired); submit a new task."));
        String target = blank(request.targetBranch()) ? task.configuredTarget() : request.targetBranch();
        tasks.markCreating(id);
        CreatePullRequest message = new CreatePullRequest(
                worker,
                task.iteration(),
                task.repoUrl(),
                request.title(),
                request.description(),
                target,
                task.prompt(),
                new SealedSecret(task.accessTokenSealed()));
        outbox.append(Topics.TASK_CONTROL, Envelope.of(id, tenant.value(), message), trace.headers());
        log.info("Task {} of tenant {} asked worker {} for a pull request.", id, tenant, worker);
        return task.lastSeq();
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
