package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The task pipeline as seed 002's missions use it. A session's first mission is a task of kind {@code mission}
 * (an empty scratch workspace unless its profile names a repository); each later mission is a follow-up iteration
 * of that task, run with {@code claude --resume} on the worker that holds its workspace, under the same
 * lost-workspace rule as a task's follow-up. Everything runs in the caller's transaction, so a session row and its
 * task commit together.
 */
@Service
public class MissionTasks {

    private final TaskService service;
    private final TaskLifecycle lifecycle;
    private final TaskRequestValidator validator;

    MissionTasks(TaskService service, TaskLifecycle lifecycle, TaskRequestValidator validator) {
        this.service = service;
        this.lifecycle = lifecycle;
        this.validator = validator;
    }

    /** Starts the session's first mission; returns the id of the task that runs it (iteration 1). */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID start(TenantId tenant, MissionRun run) {
        NewTask task = new NewTask(
                run.repoUrl(),
                run.mission(),
                null,
                null,
                run.runtime(),
                run.timeoutSeconds(),
                run.model(),
                run.maxTurns(),
                null,
                null,
                List.of(),
                null,
                null,
                null,
                new NewTask.Mission(run.systemPrompt(), run.allowedTools()));
        return service.insertMission(tenant, task);
    }

    /** Runs a later mission of the session as the task's next iteration; returns that iteration's number. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int continueWith(TenantId tenant, UUID taskId, String mission) {
        return lifecycle.instruct(tenant, taskId, mission).iteration();
    }

    /** Cancels the running mission: its iteration ends failed (cancelled). */
    public void cancel(TenantId tenant, UUID taskId) {
        lifecycle.cancel(tenant, taskId);
    }

    /** What is wrong with a profile's repository URL, by the rules of a task's {@code repo_url}; empty if nothing. */
    public Optional<String> repositoryProblem(String url) {
        return validator.repositoryProblem(url);
    }
}
