package dev.agentry.worker.execution;

import dev.agentry.events.Envelope;
import dev.agentry.events.secret.SecretUnavailableException;
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
import dev.agentry.worker.process.ProcessCancelledException;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessTimedOutException;
import dev.agentry.worker.pullrequest.TaskBranches;
import dev.agentry.worker.runtime.AgentRuntime;
import dev.agentry.worker.runtime.AgentRuntimes;
import dev.agentry.worker.runtime.McpServerConfig;
import dev.agentry.worker.runtime.RuntimeOutcome;
import dev.agentry.worker.runtime.RuntimeRequest;
import dev.agentry.worker.runtime.UnsupportedTaskException;
import dev.agentry.worker.workspace.CloneFailedException;
import dev.agentry.worker.workspace.Redactor;
import dev.agentry.worker.workspace.RefusedRepositoryException;
import dev.agentry.worker.workspace.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * Runs one {@code task.run} command from start to its one terminal event: started, workspace (git output),
 * running, the runtime's output, then completed or failed, with heartbeats meanwhile. Knows nothing of how the
 * command was consumed; the caller accepts the command when this returns {@link TaskRunResult#FINISHED}.
 */
@Component
public class TaskExecutor implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);

    private final WorkerProperties properties;
    private final AgentRuntimes runtimes;
    private final Workspaces workspaces;
    private final TaskEventPublisher publisher;
    private final Secrets secrets;
    private final MeterRegistry meters;
    private final Cancellations cancellations;
    private final TaskBranches branches;
    private final Map<UUID, ActiveRun> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("task-heartbeats").daemon().factory());

    TaskExecutor(
            WorkerProperties properties,
            AgentRuntimes runtimes,
            Workspaces workspaces,
            TaskEventPublisher publisher,
            Secrets secrets,
            MeterRegistry meters,
            Cancellations cancellations,
            TaskBranches branches) {
        this.cancellations = cancellations;
        this.branches = branches;
        this.properties = properties;
        this.runtimes = runtimes;
        this.workspaces = workspaces;
        this.publisher = publisher;
        this.secrets = secrets;
        this.meters = meters;
        meters.gauge("agentry.worker.tasks.active", this, TaskExecutor::activeCount);
    }

    /**
     * Runs a command from the queue on the calling thread: clones the workspace (or, for a redelivered follow-up,
     * reuses it).
     *
     * @param attempt the delivery count of the command, 1 for its first delivery
     */
    public TaskRunResult execute(Envelope<RunTask> command, int attempt, @Nullable String traceparent) {
        return execute(command, attempt, traceparent, false);
    }

    /**
     * Runs a follow-up iteration on the calling thread in the workspace this worker kept for the task, continuing
     * the agent's session; never clones. Without the workspace the iteration fails {@code WORKSPACE_LOST}.
     */
    public TaskRunResult executeFollowUp(Envelope<RunTask> command, @Nullable String traceparent) {
        return execute(command, 1, traceparent, true);
    }

    private TaskRunResult execute(
            Envelope<RunTask> command, int attempt, @Nullable String traceparent, boolean followUp) {
        UUID taskId = command.aggregateId();
        RunTask task = command.payload();
        TaskEventStream events = new TaskEventStream(publisher, command, traceparent);
        ProcessScope scope =
                new ProcessScope(Duration.ofSeconds(Math.max(1, task.timeoutSeconds())), properties.killGracePeriod());
        ActiveRun run = new ActiveRun(scope, task.iteration());
        ActiveRun other = active.putIfAbsent(taskId, run);
        if (other != null && followUp) {
            // Nothing will deliver a follow-up again: end it clearly instead of dropping it.
            String error = other.reservation
                    ? "workspace of task " + taskId + " is being deleted on worker " + properties.workerId()
                            + "; submit a new task"
                    : "iteration " + other.iteration + " of task " + taskId + " is still running on worker "
                            + properties.workerId();
            log.warn("Follow-up iteration {} of task {} cannot run: {}", task.iteration(), taskId, error);
            return finish(
                    events,
                    failed(
                            task.iteration(),
                            error,
                            other.reservation ? FailureReason.WORKSPACE_LOST : FailureReason.INVALID,
                            null,
                            null));
        }
        if (other != null) {
            // The same task on two slots of this worker: a stale redelivery; let the other slot finish it.
            log.warn("Task {} is already running on this worker; releasing the duplicate delivery.", taskId);
            return TaskRunResult.ABANDONED;
        }
        try {
            // Registered first, checked second: a cancellation read meanwhile either finds the run or is found here.
            if (cancellations.isCancelled(taskId, task.iteration())) {
                log.info(
                        "Task {} iteration {} was cancelled before it started; not running it.",
                        taskId,
                        task.iteration());
                meters.counter("agentry.worker.tasks", "outcome", "skipped_cancelled")
                        .increment();
                return TaskRunResult.FINISHED;
            }
            return execute(command, task, attempt, events, scope, run, followUp);
        } finally {
            active.remove(taskId);
        }
    }

    /**
     * Cancels a running task: its process tree is killed (SIGTERM, then SIGKILL after the grace period) and the run
     * ends with {@code task.failed} ({@code CANCELLED}).
     *
     * @return whether the task was running here
     */
    public boolean cancel(UUID taskId) {
        ActiveRun run = active.get(taskId);
        if (run == null || run.reservation) {
            return false;
        }
        log.info("Cancelling task {}.", taskId);
        Thread.ofVirtual().start(run.scope::cancel);
        return true;
    }

    /**
     * Remembers that an iteration of a task was cancelled, so it never starts here, and cancels it when it runs here
     * now. Safe to call for tasks this worker never saw.
     *
     * @return whether it was running here
     */
    public boolean cancel(UUID taskId, int iteration) {
        cancellations.remember(taskId, iteration);
        ActiveRun run = active.get(taskId);
        if (run == null || run.iteration != iteration) {
            return false;
        }
        return cancel(taskId);
    }

    /** Whether a task is running on this worker now. */
    public boolean isRunning(UUID taskId) {
        ActiveRun run = active.get(taskId);
        return run != null && !run.reservation;
    }

    /**
     * Runs {@code action} while no run of the task can start here (deleting its workspace).
     *
     * @return false, without running it, when the task is running here
     */
    public boolean whileNotRunning(UUID taskId, Runnable action) {
        ActiveRun reservation = ActiveRun.reservation();
        if (active.putIfAbsent(taskId, reservation) != null) {
            return false;
        }
        try {
            action.run();
            return true;
        } finally {
            active.remove(taskId, reservation);
        }
    }

    /** Stops every running task without a terminal event, so its command can be released to another worker. */
    public void abandonAll() {
        active.forEach((taskId, run) -> {
            if (run.reservation) {
                return;
            }
            log.info("Abandoning task {} because the worker is stopping.", taskId);
            run.abandoned = true;
            Thread.ofVirtual().start(run.scope::cancel);
        });
    }

    public int activeCount() {
        return (int) active.values().stream().filter(run -> !run.reservation).count();
    }

    @Override
    public void destroy() {
        heartbeats.shutdownNow();
    }

    private TaskRunResult execute(
            Envelope<RunTask> command,
            RunTask task,
            int attempt,
            TaskEventStream events,
            ProcessScope scope,
            ActiveRun run,
            boolean followUp) {
        UUID taskId = command.aggregateId();
        int iteration = task.iteration();
        AgentRuntime runtime;
        String token;
        String aiApiKey;
        List<McpServerConfig> mcpServers;
        if (attempt > properties.maxAttempts()) {
            log.warn("Task {} was delivered {} times; failing it as lost.", taskId, attempt);
            return finish(
                    events,
                    failed(
                            iteration,
                            "the task was delivered " + attempt + " times and the workers running it went away",
                            FailureReason.WORKER_LOST,
                            null,
                            null));
        }
        try {
            runtime = runtimes.get(task.runtime());
            token = secrets.open(task.accessToken());
            aiApiKey = secrets.open(task.aiApiKey());
            mcpServers = mcpServers(task);
        } catch (UnsupportedTaskException | SecretUnavailableException e) {
            return finish(events, failed(iteration, e.getMessage(), FailureReason.INVALID, null, null));
        }
        String workerId = properties.workerId();
        @Nullable Path workspace = null;
        if (followUp && runtime.needsWorkspace()) {
            Optional<Path> kept = workspaces.existing(taskId);
            if (kept.isEmpty()) {
                log.warn(
                        "Task {} iteration {} needs its workspace, which is no longer on {}.",
                        taskId,
                        iteration,
                        workerId);
                return finish(
                        events,
                        failed(
                                iteration,
                                "workspace of task " + taskId + " is no longer on worker " + workerId
                                        + "; submit a new task",
                                FailureReason.WORKSPACE_LOST,
                                null,
                                null));
            }
            if (!workspaces.beginIteration(taskId, command.tenantId(), iteration)) {
                log.info("Task {} iteration {} was already started here; not running it again.", taskId, iteration);
                return TaskRunResult.FINISHED;
            }
            workspace = kept.get();
        }
        Instant started = Instant.now();
        log.info(
                "Task {} iteration {} attempt {} started on {} with runtime {}.",
                taskId,
                iteration,
                attempt,
                workerId,
                runtime.name());
        boolean clones = runtime.needsWorkspace() && !followUp;
        events.emit(new TaskStarted(iteration, workerId, attempt, clones ? "cloning" : "running"));
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> events.emit(new TaskHeartbeat(iteration, workerId, attempt)),
                properties.heartbeatInterval().toMillis(),
                properties.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        @Nullable String baseTree = null;
        TaskEvent terminal;
        try {
            if (clones) {
                events.emit(
                        output(iteration, "git", "clone_start", "repo_url", Redactor.redact(task.repoUrl(), token)));
                workspace = workspaces.prepare(
                        taskId,
                        command.tenantId(),
                        iteration,
                        task.repoUrl(),
                        task.targetBranch(),
                        token,
                        scope,
                        line -> events.emit(output(iteration, "git", "output", "line", line)));
                baseTree = workspaces.snapshot(workspace, scope);
                events.emit(output(
                        iteration,
                        "git",
                        "clone_done",
                        "branch",
                        task.targetBranch() == null ? "" : task.targetBranch()));
            } else if (workspace != null) {
                // The tree the previous iteration left: this iteration's changes are counted from here.
                baseTree = workspaces.snapshot(workspace, scope);
            }
            events.emit(new TaskRunning(iteration, workerId));
            RuntimeRequest request = new RuntimeRequest(
                    taskId,
                    iteration,
                    task.prompt(),
                    workspace,
                    task.model(),
                    task.maxTurns(),
                    task.maxBudgetUsd(),
                    aiApiKey,
                    workspaces.gitIdentity(),
                    scope,
                    mcpServers,
                    task.resumeSessionId());
            RuntimeOutcome outcome = runtime.run(
                    request, (category, name, data) -> events.emit(new TaskOutput(iteration, category, name, data)));
            ChangesSummary changes = workspace != null && baseTree != null
                    ? workspaces.changesSince(workspace, baseTree, scope)
                    : ChangesSummary.NONE;
            Usage usage = new Usage(outcome.inputTokens(), outcome.outputTokens(), seconds(started), outcome.costUsd());
            heartbeat.cancel(false);
            if (outcome.succeeded()) {
                if (workspace != null) {
                    // The work goes on the task branch (and, once a pull request is open, to the remote).
                    branches.commitIteration(taskId, workspace, iteration, task.prompt(), token, scope);
                }
                log.info("Task {} iteration {} completed.", taskId, iteration);
                terminal = new TaskCompleted(iteration, outcome.text(), usage, changes, outcome.sessionId());
            } else {
                log.info("Task {} iteration {} failed in its runtime.", taskId, iteration);
                terminal = failed(
                        iteration, Redactor.redact(outcome.text(), token), FailureReason.RUNTIME, usage, changes);
            }
        } catch (RefusedRepositoryException | UnsupportedTaskException e) {
            terminal = failed(iteration, e.getMessage(), FailureReason.INVALID, null, null);
        } catch (CloneFailedException e) {
            log.info("Task {} could not clone its repository.", taskId);
            terminal = failed(iteration, e.getMessage(), FailureReason.CLONE, null, null);
        } catch (ProcessTimedOutException e) {
            log.info("Task {} timed out after {} s.", taskId, task.timeoutSeconds());
            terminal = failed(iteration, e.getMessage(), FailureReason.TIMEOUT, Usage.none(seconds(started)), null);
        } catch (ProcessCancelledException e) {
            if (run.abandoned) {
                events.close();
                meters.counter("agentry.worker.tasks", "outcome", "abandoned").increment();
                return TaskRunResult.ABANDONED;
            }
            log.info("Task {} iteration {} was cancelled; its processes are gone.", taskId, iteration);
            terminal = failed(iteration, "cancelled", FailureReason.CANCELLED, Usage.none(seconds(started)), null);
        } catch (RuntimeException e) {
            log.error("Task {} failed on {}.", taskId, workerId, e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            terminal = failed(
                    iteration,
                    Redactor.redact("worker error: " + message, token),
                    FailureReason.RUNTIME,
                    Usage.none(seconds(started)),
                    null);
        } finally {
            heartbeat.cancel(false);
        }
        if (workspace != null) {
            // Before the terminal event, on the same key: once the task shows as ended, its workspace is known.
            reportWorkspace(taskId, events);
        }
        return finish(events, terminal);
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

    private List<McpServerConfig> mcpServers(RunTask task) {
        List<McpServerConfig> servers = new ArrayList<>();
        for (RunTask.McpServer server : task.mcpServers()) {
            Map<String, String> env = new LinkedHashMap<>();
            for (var sealed : server.env()) {
                String entry = secrets.open(sealed);
                int equals = entry == null ? -1 : entry.indexOf('=');
                if (equals <= 0) {
                    throw new UnsupportedTaskException(
                            "an environment entry of MCP server " + server.name() + " is not NAME=value");
                }
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
            servers.add(new McpServerConfig(server.name(), server.command(), server.args(), env));
        }
        return servers;
    }

    private TaskRunResult finish(TaskEventStream events, TaskEvent terminal) {
        String outcome = terminal instanceof TaskFailed failed
                ? "failed_" + failed.reason().name().toLowerCase(java.util.Locale.ROOT)
                : "completed";
        if (events.finish(terminal)) {
            meters.counter("agentry.worker.tasks", "outcome", outcome).increment();
            return TaskRunResult.FINISHED;
        }
        meters.counter("agentry.worker.tasks", "outcome", "abandoned").increment();
        return TaskRunResult.ABANDONED;
    }

    private static TaskFailed failed(
            int iteration,
            String error,
            FailureReason reason,
            @Nullable Usage usage,
            @Nullable ChangesSummary changes) {
        return new TaskFailed(iteration, error, reason, usage, changes);
    }

    private static TaskOutput output(int iteration, String category, String name, String field, String value) {
        return new TaskOutput(
                iteration, category, name, JsonNodeFactory.instance.objectNode().put(field, value));
    }

    private static long seconds(Instant since) {
        return Duration.between(since, Instant.now()).toSeconds();
    }

    private static final class ActiveRun {
        private final ProcessScope scope;
        private final int iteration;
        private final boolean reservation;
        private volatile boolean abandoned;

        ActiveRun(ProcessScope scope, int iteration) {
            this(scope, iteration, false);
        }

        private ActiveRun(ProcessScope scope, int iteration, boolean reservation) {
            this.scope = scope;
            this.iteration = iteration;
            this.reservation = reservation;
        }

        /** Holds the task's place while its workspace is deleted; not a run. */
        static ActiveRun reservation() {
            return new ActiveRun(new ProcessScope(Duration.ofSeconds(1), Duration.ZERO), 0, true);
        }
    }
}
