package dev.agentry.worker.execution;

import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.events.task.WorkspaceReported;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.git.Git;
import dev.agentry.worker.git.Redactor;
import dev.agentry.worker.pullrequest.TaskBranches;
import dev.agentry.worker.runtime.AgentRuntime;
import dev.agentry.worker.runtime.AgentRuntimes;
import dev.agentry.worker.runtime.RuntimeOutcome;
import dev.agentry.worker.runtime.RuntimeRequest;
import dev.agentry.worker.sandbox.AgentProcesses;
import dev.agentry.worker.sandbox.Sandbox;
import dev.agentry.worker.sandbox.SandboxView;
import dev.agentry.worker.workspace.WorkspaceChanges;
import dev.agentry.worker.workspace.Workspaces;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Performs one run in three named steps, the shape of JobRunr's {@code BackgroundJobPerformer}: {@link #prepare}
 * (refuse what cannot run, open the secrets, find the workspace), {@link #run} (started, clone, running, the
 * runtime, changes, heartbeats meanwhile) and {@link #conclude} (the workspace report, then the one terminal event
 * and its metric). Whatever either step throws goes through {@link FailureClassifier} once.
 */
@Component
class TaskRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final WorkerProperties properties;
    private final AgentRuntimes runtimes;
    private final Workspaces workspaces;
    private final WorkspaceChanges changes;
    private final WorkspaceStep workspaceStep;
    private final Secrets secrets;
    private final TaskBranches branches;
    private final Git git;
    private final Sandbox sandbox;
    private final TaskMeters meters;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("task-heartbeats").daemon().factory());

    TaskRunner(
            WorkerProperties properties,
            AgentRuntimes runtimes,
            Workspaces workspaces,
            WorkspaceChanges changes,
            Secrets secrets,
            TaskBranches branches,
            Git git,
            Sandbox sandbox,
            TaskMeters meters) {
        this.properties = properties;
        this.runtimes = runtimes;
        this.workspaces = workspaces;
        this.changes = changes;
        this.workspaceStep = new WorkspaceStep(workspaces, changes);
        this.secrets = secrets;
        this.branches = branches;
        this.git = git;
        this.sandbox = sandbox;
        this.meters = meters;
    }

    TaskRunResult perform(RunContext run) {
        TaskEvent terminal;
        try {
            if (!prepare(run)) {
                return TaskRunResult.FINISHED;
            }
            terminal = run(run);
        } catch (RuntimeException e) {
            switch (FailureClassifier.classify(e, run.run.abandoned(), run.token)) {
                case RunFailure.Transient _ -> {
                    run.events.close();
                    finished(run, "abandoned");
                    return TaskRunResult.ABANDONED;
                }
                case RunFailure.Terminal failure -> terminal = failed(run, failure, e);
            }
        }
        return conclude(run, terminal);
    }

    /**
     * Refuses what must not run, opens the command's secrets and, for a follow-up, finds the workspace it continues.
     *
     * @return false when the iteration already started here before (a control message read twice): nothing to do
     */
    private boolean prepare(RunContext run) {
        if (run.attempt > properties.maxAttempts()) {
            log.warn("Task {} was delivered {} times; failing it as lost.", run.taskId(), run.attempt);
            throw new RefusedRunException(
                    FailureReason.WORKER_LOST,
                    "the task was delivered " + run.attempt + " times and the workers running it went away");
        }
        AgentRuntime runtime = runtimes.get(run.task.runtime());
        run.runtime = runtime;
        run.token = secrets.open(run.task.accessToken());
        run.aiApiKey = secrets.open(run.task.aiApiKey());
        run.mcpServers = secrets.mcpServers(run.task);
        if (!run.followUp || !runtime.needsWorkspace()) {
            return true;
        }
        Optional<Path> kept = workspaces.existing(run.taskId());
        if (kept.isEmpty()) {
            log.warn(
                    "Task {} iteration {} needs its workspace, which is no longer on {}.",
                    run.taskId(),
                    run.iteration(),
                    properties.workerId());
            throw new RefusedRunException(
                    FailureReason.WORKSPACE_LOST,
                    "workspace of task " + run.taskId() + " is no longer on worker " + properties.workerId()
                            + "; submit a new task");
        }
        if (!workspaces.beginIteration(run.taskId(), run.command.tenantId(), run.iteration())) {
            log.info(
                    "Task {} iteration {} was already started here; not running it again.",
                    run.taskId(),
                    run.iteration());
            return false;
        }
        run.workspace = kept.get();
        return true;
    }

    /** Started, the workspace, running, the runtime and the changes it made; heartbeats all along. */
    private TaskEvent run(RunContext run) {
        RunTask task = run.task;
        int iteration = run.iteration();
        String workerId = properties.workerId();
        AgentRuntime runtime = Objects.requireNonNull(run.runtime);
        run.started = Instant.now();
        log.info(
                "Task {} iteration {} attempt {} started on {} with runtime {}.",
                run.taskId(),
                iteration,
                run.attempt,
                workerId,
                runtime.name());
        run.events.emit(new TaskStarted(iteration, workerId, run.attempt, run.clones() ? "cloning" : "running"));
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> run.events.emit(new TaskHeartbeat(iteration, workerId, run.attempt)),
                properties.heartbeatInterval().toMillis(),
                properties.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            @Nullable String baseTree = workspaceStep.prepare(run);
            run.events.emit(new TaskRunning(iteration, workerId));
            RuntimeOutcome outcome = runtime.run(
                    request(run),
                    (category, name, data) -> run.events.emit(new TaskOutput(iteration, category, name, data)));
            Path workspace = run.workspace;
            ChangesSummary changed = workspace != null && baseTree != null
                    ? changes.since(workspace, baseTree, run.scope())
                    : ChangesSummary.NONE;
            Usage usage = new Usage(outcome.inputTokens(), outcome.outputTokens(), run.seconds(), outcome.costUsd());
            heartbeat.cancel(false);
            if (!outcome.succeeded()) {
                log.info("Task {} iteration {} failed in its runtime.", run.taskId(), iteration);
                return new TaskFailed(
                        iteration, Redactor.redact(outcome.text(), run.token), FailureReason.RUNTIME, usage, changed);
            }
            if (workspace != null) {
                // The work goes on the task branch (and, once a pull request is open, to the remote).
                branches.commitIteration(run.taskId(), workspace, iteration, task.prompt(), run.token, run.scope());
            }
            log.info("Task {} iteration {} completed.", run.taskId(), iteration);
            return new TaskCompleted(iteration, outcome.text(), usage, changed, outcome.sessionId());
        } finally {
            heartbeat.cancel(false);
        }
    }

    private RuntimeRequest request(RunContext run) {
        RunTask task = run.task;
        return new RuntimeRequest(
                run.taskId(),
                run.iteration(),
                task.prompt(),
                run.workspace,
                task.model(),
                task.maxTurns(),
                task.maxBudgetUsd(),
                run.aiApiKey,
                git.identity(),
                // The agent sees its own workspace, nothing of the others beside it.
                new AgentProcesses(
                        run.scope(),
                        sandbox,
                        run.workspace == null ? SandboxView.NOTHING : SandboxView.writable(run.workspace)),
                run.mcpServers,
                task.resumeSessionId(),
                task.systemPrompt(),
                task.allowedTools());
    }

    /** The workspace report (before the terminal event, on the same key), then the terminal event itself. */
    TaskRunResult conclude(RunContext run, TaskEvent terminal) {
        if (run.workspace != null) {
            reportWorkspace(run.taskId(), run.events);
        }
        String outcome = terminal instanceof TaskFailed failed
                ? "failed_" + failed.reason().name().toLowerCase(Locale.ROOT)
                : "completed";
        if (run.events.finish(terminal)) {
            finished(run, outcome);
            return TaskRunResult.FINISHED;
        }
        finished(run, "abandoned");
        return TaskRunResult.ABANDONED;
    }

    private TaskFailed failed(RunContext run, RunFailure.Terminal failure, RuntimeException cause) {
        UUID taskId = run.taskId();
        switch (failure.reason()) {
            case CLONE -> log.info("Task {} could not clone its repository.", taskId);
            case TIMEOUT -> log.info("Task {} timed out after {} s.", taskId, run.task.timeoutSeconds());
            case CANCELLED ->
                log.info("Task {} iteration {} was cancelled; its processes are gone.", taskId, run.iteration());
            case RUNTIME -> log.error("Task {} failed on {}.", taskId, properties.workerId(), cause);
            default -> log.info("Task {} iteration {} cannot run: {}", taskId, run.iteration(), failure.error());
        }
        Usage usage = failure.measured() && run.started != null ? Usage.none(run.seconds()) : null;
        return new TaskFailed(run.iteration(), failure.error(), failure.reason(), usage, null);
    }

    private void reportWorkspace(UUID taskId, TaskEventStream events) {
        try {
            workspaces.touch(taskId);
            workspaces
                    .describe(taskId)
                    .ifPresent(info -> events.emit(new WorkspaceReported(
                            properties.workerId(),
                            info.sizeBytes(),
                            info.metadata().createdAt(),
                            info.metadata().lastUsedAt())));
        } catch (RuntimeException e) {
            log.warn("The workspace of task {} could not be reported: {}", taskId, e.getMessage());
        }
    }

    /** The run's outcome and its duration since this worker took it up, tagged with the runtime it asked for. */
    void finished(RunContext run, String outcome) {
        meters.finished(run.task.runtime(), outcome, run.elapsed());
    }

    static TaskOutput output(int iteration, String name, String field, String value) {
        return new TaskOutput(
                iteration, "git", name, JsonNodeFactory.instance.objectNode().put(field, value));
    }

    @Override
    public void destroy() {
        heartbeats.shutdownNow();
    }
}
