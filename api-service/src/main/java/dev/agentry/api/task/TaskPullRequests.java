package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the pull-request feature reads and changes of a task: the task as a pull request is made from it, the
 * move to {@code creating_pr}, and the worker's answer once the projector has logged it.
 */
@Service
public class TaskPullRequests {

    private final Tasks tasks;
    private final TaskEventLog log;
    private final Workspaces workspaces;

    TaskPullRequests(Tasks tasks, TaskEventLog log, Workspaces workspaces) {
        this.tasks = tasks;
        this.log = log;
        this.workspaces = workspaces;
    }

    /** A task as a pull request is made from it; {@code lastSeq} is where the answer will follow in its log. */
    public record Subject(
            TaskStatus status,
            int iteration,
            String runtime,
            String repoUrl,
            String prompt,
            @Nullable String accessTokenSealed,
            @Nullable String configuredTarget,
            long lastSeq,
            @Nullable String branch,
            @Nullable Integer prNumber,
            @Nullable String prUrl,
            Instant updatedAt) {

        /** A runtime that keeps no workspace changes no files, so it has nothing to push. */
        public boolean changesNoFiles() {
            return Tasks.NO_WORKSPACE.contains(runtime);
        }
    }

    /** The worker's {@code pr_failed}: its reason in lower case ({@code bad_token}, ...) and its error. */
    public record Failure(String reason, String error) {}

    /** The task, locked until the caller's transaction ends; another tenant's is not found. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Subject lock(TenantId tenant, UUID id) {
        return tasks.pullRequestSubject(tenant, id, true);
    }

    public Subject read(TenantId tenant, UUID id) {
        return tasks.pullRequestSubject(tenant, id, false);
    }

    /** The worker holding the task's workspace, the one that can push its branch. */
    public Optional<String> workspaceHolder(UUID id) {
        return workspaces.holder(id);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void markCreating(UUID id) {
        tasks.markCreatingPullRequest(id);
    }

    /** The newest {@code pr_failed} the task logged after {@code since}. */
    public Optional<Failure> lastFailure(UUID id, long since) {
        return log.lastPullRequestFailure(id, since);
    }
}
