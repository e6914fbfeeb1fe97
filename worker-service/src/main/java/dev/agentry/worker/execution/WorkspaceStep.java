package dev.agentry.worker.execution;

import dev.agentry.events.task.RunTask;
import dev.agentry.worker.git.Redactor;
import dev.agentry.worker.workspace.WorkspaceChanges;
import dev.agentry.worker.workspace.Workspaces;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The workspace step of a run: a scratch workspace for a run without a repository, a clone for a first iteration,
 * the kept workspace for a follow-up; and the tree the iteration's changes are counted from.
 */
final class WorkspaceStep {

    private final Workspaces workspaces;
    private final WorkspaceChanges changes;

    WorkspaceStep(Workspaces workspaces, WorkspaceChanges changes) {
        this.workspaces = workspaces;
        this.changes = changes;
    }

    /** Clones for a first iteration; returns the tree this iteration's changes are counted from. */
    @Nullable
    String prepare(RunContext run) {
        int iteration = run.iteration();
        RunTask task = run.task;
        if (run.clones() && task.repoUrl() == null) {
            run.events.emit(TaskRunner.output(iteration, "scratch_created", "branch", ""));
            Path workspace = workspaces.scratch(run.taskId(), run.command.tenantId(), iteration, run.scope());
            run.workspace = workspace;
            return changes.snapshot(workspace, run.scope());
        }
        if (run.clones()) {
            String repoUrl = Objects.requireNonNull(task.repoUrl());
            run.events.emit(
                    TaskRunner.output(iteration, "clone_start", "repo_url", Redactor.redact(repoUrl, run.token)));
            Path workspace = workspaces.prepare(
                    run.taskId(),
                    run.command.tenantId(),
                    iteration,
                    repoUrl,
                    task.targetBranch(),
                    run.token,
                    run.scope(),
                    line -> run.events.emit(TaskRunner.output(iteration, "output", "line", line)));
            run.workspace = workspace;
            String baseTree = changes.snapshot(workspace, run.scope());
            run.events.emit(TaskRunner.output(
                    iteration, "clone_done", "branch", task.targetBranch() == null ? "" : task.targetBranch()));
            return baseTree;
        }
        // A follow-up: the tree the previous iteration left.
        return run.workspace == null ? null : changes.snapshot(run.workspace, run.scope());
    }
}
