package dev.agentry.worker.execution;

import dev.agentry.events.Envelope;
import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.process.ProcessCancelledException;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessTimedOutException;
import dev.agentry.worker.runtime.AgentRuntime;
import dev.agentry.worker.runtime.AgentRuntimes;
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
import java.util.Map;
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
    private final Map<UUID, ActiveRun> active = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("task-heartbeats").daemon().factory());

    TaskExecutor(
            WorkerProperties properties,
            AgentRuntimes runtimes,
            Workspaces workspaces,
            TaskEventPublisher publisher,
            Secrets secrets,
            MeterRegistry meters) {
        this.properties = properties;
        this.runtimes = runtimes;
        this.workspaces = workspaces;
        this.publisher = publisher;
        this.secrets = secrets;
        this.meters = meters;
        meters.gauge("agentry.worker.tasks.active", active, Map::size);
    }

    /**
     * Runs the command on the calling thread.
     *
     * @param attempt the delivery count of the command, 1 for its first delivery
     */
    public TaskRunResult execute(Envelope<RunTask> command, int attempt, @Nullable String traceparent) {
        UUID taskId = command.aggregateId();
        RunTask task = command.payload();
        TaskEventStream events = new TaskEventStream(publisher, command, traceparent);
        ProcessScope scope =
                new ProcessScope(Duration.ofSeconds(Math.max(1, task.timeoutSeconds())), properties.killGracePeriod());
        ActiveRun run = new ActiveRun(scope);
        if (active.putIfAbsent(taskId, run) != null) {
            // The same task on two slots of this worker: a stale redelivery; let the other slot finish it.
            log.warn("Task {} is already running on this worker; releasing the duplicate delivery.", taskId);
            return TaskRunResult.ABANDONED;
        }
        try {
            return execute(taskId, task, attempt, events, scope, run);
        } finally {
            active.remove(taskId);
        }
    }

    /**
     * Cancels a running task: its process tree is killed (SIGTERM, then SIGKILL after the grace period) and the run
     * ends with {@code task.failed}. There is no cancelled event on the wire yet.
     *
     * @return whether the task was running here
     */
    public boolean cancel(UUID taskId) {
        ActiveRun run = active.get(taskId);
        if (run == null) {
            return false;
        }
        log.info("Cancelling task {}.", taskId);
        Thread.ofVirtual().start(run.scope::cancel);
        return true;
    }

    /** Stops every running task without a terminal event, so its command can be released to another worker. */
    public void abandonAll() {
        active.forEach((taskId, run) -> {
            log.info("Abandoning task {} because the worker is stopping.", taskId);
            run.abandoned = true;
            Thread.ofVirtual().start(run.scope::cancel);
        });
    }

    public int activeCount() {
        return active.size();
    }

    @Override
    public void destroy() {
        heartbeats.shutdownNow();
    }

    private TaskRunResult execute(
            UUID taskId, RunTask task, int attempt, TaskEventStream events, ProcessScope scope, ActiveRun run) {
        int iteration = task.iteration();
        AgentRuntime runtime;
        String token;
        String aiApiKey;
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
        } catch (UnsupportedTaskException | SecretUnavailableException e) {
            return finish(events, failed(iteration, e.getMessage(), FailureReason.INVALID, null, null));
        }
        String workerId = properties.workerId();
        Instant started = Instant.now();
        log.info(
                "Task {} iteration {} attempt {} started on {} with runtime {}.",
                taskId,
                iteration,
                attempt,
                workerId,
                runtime.name());
        events.emit(new TaskStarted(iteration, workerId, attempt, runtime.needsWorkspace() ? "cloning" : "running"));
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> events.emit(new TaskHeartbeat(iteration, workerId, attempt)),
                properties.heartbeatInterval().toMillis(),
                properties.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        @Nullable Path workspace = null;
        @Nullable String baseTree = null;
        try {
            if (runtime.needsWorkspace()) {
                events.emit(
                        output(iteration, "git", "clone_start", "repo_url", Redactor.redact(task.repoUrl(), token)));
                workspace = workspaces.prepare(
                        taskId,
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
                    scope);
            RuntimeOutcome outcome = runtime.run(
                    request, (category, name, data) -> events.emit(new TaskOutput(iteration, category, name, data)));
            ChangesSummary changes = workspace != null && baseTree != null
                    ? workspaces.changesSince(workspace, baseTree, scope)
                    : ChangesSummary.NONE;
            Usage usage = new Usage(outcome.inputTokens(), outcome.outputTokens(), seconds(started), outcome.costUsd());
            heartbeat.cancel(false);
            if (outcome.succeeded()) {
                log.info("Task {} iteration {} completed.", taskId, iteration);
                return finish(
                        events, new TaskCompleted(iteration, outcome.text(), usage, changes, outcome.sessionId()));
            }
            log.info("Task {} iteration {} failed in its runtime.", taskId, iteration);
            return finish(
                    events,
                    failed(iteration, Redactor.redact(outcome.text(), token), FailureReason.RUNTIME, usage, changes));
        } catch (RefusedRepositoryException | UnsupportedTaskException e) {
            return finish(events, failed(iteration, e.getMessage(), FailureReason.INVALID, null, null));
        } catch (CloneFailedException e) {
            log.info("Task {} could not clone its repository.", taskId);
            return finish(events, failed(iteration, e.getMessage(), FailureReason.CLONE, null, null));
        } catch (ProcessTimedOutException e) {
            log.info("Task {} timed out after {} s.", taskId, task.timeoutSeconds());
            return finish(
                    events,
                    failed(iteration, e.getMessage(), FailureReason.TIMEOUT, Usage.none(seconds(started)), null));
        } catch (ProcessCancelledException e) {
            if (run.abandoned) {
                events.close();
                meters.counter("agentry.worker.tasks", "outcome", "abandoned").increment();
                return TaskRunResult.ABANDONED;
            }
            return finish(
                    events, failed(iteration, "cancelled", FailureReason.RUNTIME, Usage.none(seconds(started)), null));
        } catch (RuntimeException e) {
            log.error("Task {} failed on {}.", taskId, workerId, e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return finish(
                    events,
                    failed(
                            iteration,
                            Redactor.redact("worker error: " + message, token),
                            FailureReason.RUNTIME,
                            Usage.none(seconds(started)),
                            null));
        } finally {
            heartbeat.cancel(false);
        }
    }

    private TaskRunResult finish(TaskEventStream events, dev.agentry.events.task.TaskEvent terminal) {
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
        private volatile boolean abandoned;

        ActiveRun(ProcessScope scope) {
            this.scope = scope;
        }
    }
}
