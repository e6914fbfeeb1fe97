package dev.agentry.worker.execution;

import dev.agentry.events.Envelope;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.messaging.TaskEventPublisher;
import dev.agentry.worker.process.ProcessScope;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs one {@code task.run} command from start to its one terminal event: started, workspace (git output),
 * running, the runtime's output, then completed or failed, with heartbeats meanwhile (the steps are
 * {@link TaskRunner}'s). Knows nothing of how the command was consumed; the caller accepts the command when this
 * returns {@link TaskRunResult#FINISHED}. Also the one place that knows what runs here now, for cancellations and
 * workspace deletions.
 */
@Component
public class TaskExecutor {

    private static final Logger log = LoggerFactory.getLogger(TaskExecutor.class);

    private final WorkerProperties properties;
    private final TaskEventPublisher publisher;
    private final Cancellations cancellations;
    private final TaskRunner runner;
    private final ActiveRuns active = new ActiveRuns();

    TaskExecutor(
            WorkerProperties properties,
            TaskEventPublisher publisher,
            Cancellations cancellations,
            TaskRunner runner,
            MeterRegistry meters) {
        this.properties = properties;
        this.publisher = publisher;
        this.cancellations = cancellations;
        this.runner = runner;
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
     *
     * @param envelope the control message that carries the iteration
     */
    public TaskRunResult executeFollowUp(Envelope<?> envelope, RunTask run, @Nullable String traceparent) {
        return execute(command(envelope, run), 1, traceparent, true);
    }

    /** The {@code task.run} command a queue record or a control message carries. */
    static Envelope<RunTask> command(Envelope<?> envelope, RunTask run) {
        return new Envelope<>(
                envelope.id(),
                RunTask.TYPE,
                envelope.aggregateId(),
                envelope.tenantId(),
                envelope.occurredAt(),
                envelope.schemaVersion(),
                run);
    }

    private TaskRunResult execute(
            Envelope<RunTask> command, int attempt, @Nullable String traceparent, boolean followUp) {
        UUID taskId = command.aggregateId();
        RunTask task = command.payload();
        TaskEventStream events = new TaskEventStream(publisher, command, traceparent);
        ProcessScope scope =
                new ProcessScope(Duration.ofSeconds(Math.max(1, task.timeoutSeconds())), properties.killGracePeriod());
        ActiveRuns.Run run = new ActiveRuns.Run(scope, task.iteration());
        ActiveRuns.Run other = active.register(taskId, run);
        if (other != null && followUp) {
            // Nothing will deliver a follow-up again: end it clearly instead of dropping it.
            return runner.conclude(new RunContext(command, attempt, true, events, run), inTheWay(task, other, taskId));
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
                runner.finished(new RunContext(command, attempt, followUp, events, run), "skipped_cancelled");
                return TaskRunResult.FINISHED;
            }
            return runner.perform(new RunContext(command, attempt, followUp, events, run));
        } finally {
            active.unregister(taskId, run);
        }
    }

    private TaskFailed inTheWay(RunTask task, ActiveRuns.Run other, UUID taskId) {
        String error = other.reservation()
                ? "workspace of task " + taskId + " is being deleted on worker " + properties.workerId()
                        + "; submit a new task"
                : "iteration " + other.iteration() + " of task " + taskId + " is still running on worker "
                        + properties.workerId();
        log.warn("Follow-up iteration {} of task {} cannot run: {}", task.iteration(), taskId, error);
        FailureReason reason = other.reservation() ? FailureReason.WORKSPACE_LOST : FailureReason.INVALID;
        return new TaskFailed(task.iteration(), error, reason, null, null);
    }

    /**
     * Cancels a running task: its process tree is killed (SIGTERM, then SIGKILL after the grace period) and the run
     * ends with {@code task.failed} ({@code CANCELLED}).
     *
     * @return whether the task was running here
     */
    public boolean cancel(UUID taskId) {
        return active.cancel(taskId);
    }

    /**
     * Remembers that an iteration of a task was cancelled, so it never starts here, and cancels it when it runs here
     * now. Safe to call for tasks this worker never saw.
     *
     * @return whether it was running here
     */
    public boolean cancel(UUID taskId, int iteration) {
        cancellations.remember(taskId, iteration);
        return active.cancel(taskId, iteration);
    }

    /** Whether a task is running on this worker now. */
    public boolean isRunning(UUID taskId) {
        return active.isRunning(taskId);
    }

    /**
     * Runs {@code action} while no run of the task can start here (deleting its workspace).
     *
     * @return false, without running it, when the task is running here
     */
    public boolean whileNotRunning(UUID taskId, Runnable action) {
        return active.whileNotRunning(taskId, action);
    }

    /** Stops every running task without a terminal event, so its command can be released to another worker. */
    public void abandonAll() {
        active.abandonAll();
    }

    public int activeCount() {
        return active.count();
    }
}
