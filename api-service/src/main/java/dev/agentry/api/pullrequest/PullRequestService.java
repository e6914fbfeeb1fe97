package dev.agentry.api.pullrequest;

import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.task.InvalidRequestException;
import dev.agentry.api.task.TaskConflictException;
import dev.agentry.api.task.TaskNotFoundException;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.task.CreatePullRequest;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts a pull request and waits for its answer. The request changes state only through messages: the row goes
 * {@code creating_pr} and a {@code task.create_pr} goes into the outbox in one transaction; the worker's
 * {@code task.pr_created} / {@code task.pr_failed} reaches the row through the projector, which this request polls
 * (so it works whichever API instance projects). A retry while {@code creating_pr} waits for the same answer
 * instead of sending a second request; once {@code pr_created}, it returns the pull request.
 */
@Service
@EnableConfigurationProperties(PullRequestProperties.class)
class PullRequestService {

    private static final Logger log = LoggerFactory.getLogger(PullRequestService.class);
    private static final Set<String> NO_WORKSPACE = Set.of("echo");
    private static final int MAX_TITLE = 256;
    private static final int MAX_BODY = 65536;
    private static final java.util.regex.Pattern BRANCH =
            java.util.regex.Pattern.compile("^(?!-)(?!.*\\.\\.)(?!.*//)[A-Za-z0-9._/-]+(?<![./])$");

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final TransactionTemplate transactions;
    private final PullRequestProperties properties;
    private final @Nullable Tracer tracer;
    private final @Nullable Propagator propagator;

    PullRequestService(
            JdbcClient jdbc,
            Outbox outbox,
            TransactionTemplate transactions,
            PullRequestProperties properties,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.transactions = transactions;
        this.properties = properties;
        this.tracer = tracer.getIfAvailable();
        this.propagator = propagator.getIfAvailable();
    }

    record Request(
            @Nullable String title,
            @Nullable String description,
            @Nullable String targetBranch) {}

    sealed interface Outcome {}

    record Created(String prUrl, int prNumber, String branch) implements Outcome {}

    record Pending(UUID id, String status, String message) implements Outcome {}

    private record Row(
            String status,
            int iteration,
            String runtime,
            String repoUrl,
            String prompt,
            @Nullable String accessToken,
            @Nullable String configuredTarget,
            long lastSeq,
            @Nullable String branch,
            @Nullable Integer prNumber,
            @Nullable String prUrl,
            Instant updatedAt) {}

    Outcome create(TenantId tenant, UUID id, Request request) {
        validate(request);
        long since = transactions.execute(tx -> start(tenant, id, request));
        return await(tenant, id, since);
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
        Row task = lock(tenant, id);
        switch (task.status()) {
            case "pr_created" -> {
                return task.lastSeq();
            }
            case "creating_pr" -> {
                if (task.updatedAt().isAfter(Instant.now().minus(properties.resendAfter()))) {
                    return task.lastSeq();
                }
                log.warn(
                        "Task {} has been creating its pull request since {}; asking the worker again.",
                        id,
                        task.updatedAt());
            }
            case "completed" -> {
                // the one status a pull request is made from
            }
            default ->
                throw new TaskConflictException("Task " + id + " is " + task.status()
                        + "; a pull request can be created once it has completed.");
        }
        if (NO_WORKSPACE.contains(task.runtime())) {
            throw new PullRequestProblem(
                    HttpStatus.CONFLICT,
                    "no changes",
                    "Task " + id + " ran with " + task.runtime()
                            + ", which changes no files; there is nothing to push.",
                    null);
        }
        if (task.accessToken() == null) {
            throw new PullRequestProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "access_token required",
                    "Task " + id + " has no access_token; one with push rights is needed to create a pull request.",
                    Map.of("access_token", "is required to push the branch and open a pull request"));
        }
        if (!GitHubRemotes.isGitHub(task.repoUrl(), properties.githubHosts())) {
            throw new PullRequestProblem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "unsupported remote",
                    "Pull requests can only be created on GitHub; only GitHub is supported yet.",
                    Map.of("repo_url", "is not on GitHub; only GitHub is supported yet"));
        }
        String worker = jdbc.sql("select worker_id from workspaces where task_id = ? and not deleting")
                .param(id)
                .query(String.class)
                .optional()
                .orElseThrow(() -> new TaskConflictException(
                        "Task " + id + " has no workspace any more (deleted or expired); submit a new task."));
        String target = blank(request.targetBranch()) ? task.configuredTarget() : request.targetBranch();
        jdbc.sql("""
                update tasks set status = 'creating_pr', pr_error = null, updated_at = now(),
                       pr_previous_status = case when status = 'creating_pr' then pr_previous_status else status end
                where id = ?""").param(id).update();
        CreatePullRequest message = new CreatePullRequest(
                worker,
                task.iteration(),
                task.repoUrl(),
                request.title(),
                request.description(),
                target,
                task.prompt(),
                new SealedSecret(task.accessToken()));
        outbox.append(Topics.TASK_CONTROL, Envelope.of(id, tenant.value(), message), traceHeaders());
        log.info("Task {} of tenant {} asked worker {} for a pull request.", id, tenant, worker);
        return task.lastSeq();
    }

    private Outcome await(TenantId tenant, UUID id, long since) {
        Instant deadline = Instant.now().plus(properties.waitTimeout());
        while (true) {
            Row task = read(tenant, id);
            switch (task.status()) {
                case "pr_created" -> {
                    return new Created(task.prUrl(), task.prNumber(), task.branch());
                }
                case "creating_pr" -> {
                    if (Instant.now().isAfter(deadline)) {
                        return new Pending(
                                id,
                                "creating_pr",
                                "The pull request is still being created; GET the task for pr_url once it is"
                                        + " pr_created.");
                    }
                    pause(properties.pollInterval());
                }
                default -> throw failure(id, since);
            }
        }
    }

    private PullRequestProblem failure(UUID id, long since) {
        Optional<Map<String, String>> failed = jdbc.sql("""
                select data->>'reason' as reason, data->>'error' as error from task_events
                where task_id = ? and seq > ? and event = 'pr_failed' order by seq desc limit 1""")
                .params(id, since)
                .query((rs, n) -> Map.of(
                        "reason",
                        String.valueOf(rs.getString("reason")),
                        "error",
                        String.valueOf(rs.getString("error"))))
                .optional();
        if (failed.isEmpty()) {
            return new PullRequestProblem(
                    HttpStatus.CONFLICT,
                    "conflict",
                    "Task " + id + " changed (cancelled?) before its pull request was created.",
                    null);
        }
        String error = failed.get().get("error");
        return switch (failed.get().get("reason")) {
            case "no_changes" ->
                new PullRequestProblem(HttpStatus.CONFLICT, "no changes", "Task " + id + ": " + error, null);
            case "bad_token" ->
                new PullRequestProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "invalid access_token",
                        error,
                        Map.of("access_token", "was refused or is missing"));
            case "not_github" ->
                new PullRequestProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "unsupported remote",
                        error,
                        Map.of("repo_url", "is not on GitHub; only GitHub is supported yet"));
            case "workspace_lost" -> new PullRequestProblem(HttpStatus.CONFLICT, "workspace lost", error, null);
            case "invalid_base" ->
                new PullRequestProblem(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "invalid target_branch",
                        error,
                        Map.of("target_branch", "is not a branch of the repository"));
            case "rate_limited" ->
                new PullRequestProblem(HttpStatus.SERVICE_UNAVAILABLE, "github rate limited", error, null);
            default -> new PullRequestProblem(HttpStatus.BAD_GATEWAY, "pull request failed", error, null);
        };
    }

    private Row lock(TenantId tenant, UUID id) {
        return row(tenant, id, " for update");
    }

    private Row read(TenantId tenant, UUID id) {
        return row(tenant, id, "");
    }

    private Row row(TenantId tenant, UUID id, String suffix) {
        return jdbc.sql("""
                select status, iteration, runtime, repo_url, current_prompt, access_token_sealed,
                       config->>'target_branch' as target_branch, last_seq, branch, pr_number, pr_url, updated_at
                from tasks where tenant_id = ? and id = ?""" + suffix)
                .params(tenant.value(), id)
                .query((rs, n) -> new Row(
                        rs.getString("status"),
                        rs.getInt("iteration"),
                        rs.getString("runtime"),
                        rs.getString("repo_url"),
                        rs.getString("current_prompt"),
                        rs.getString("access_token_sealed"),
                        rs.getString("target_branch"),
                        rs.getLong("last_seq"),
                        rs.getString("branch"),
                        rs.getObject("pr_number", Integer.class),
                        rs.getString("pr_url"),
                        rs.getTimestamp("updated_at").toInstant()))
                .optional()
                .orElseThrow(() -> new TaskNotFoundException(id));
    }

    private Map<String, String> traceHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        Span span = tracer == null ? null : tracer.currentSpan();
        if (span != null && propagator != null) {
            propagator.inject(span.context(), headers, Map::put);
        }
        return headers;
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the pull request", e);
        }
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
