package dev.agentry.scheduler.reaper;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A task a worker holds, as the reaper reads it from the API's read model.
 *
 * @param admittedAt when the API last handed the task to the workers; null while its current iteration waits for
 *     admission (a tenant at its running-tasks limit), when no worker has it yet
 */
record HeldTask(
        UUID id,
        String tenantId,
        String status,
        int iteration,
        @Nullable String workerId,
        int timeoutSeconds,
        @Nullable Instant startedAt,
        @Nullable Instant lastHeartbeatAt,
        Instant updatedAt,
        @Nullable Instant admittedAt) {

    /** The last moment the task was known to be alive: its heartbeat, else its start, else its last update. */
    Instant lastSignOfLife() {
        if (lastHeartbeatAt != null) {
            return lastHeartbeatAt;
        }
        return startedAt != null ? startedAt : updatedAt;
    }

    /**
     * When a pending follow-up's run was sent to the worker holding its workspace: at the instruction, or at its
     * admission if it had to wait for one; null while it still waits.
     */
    @Nullable
    Instant sentAt() {
        if (admittedAt == null) {
            return null;
        }
        return admittedAt.isAfter(updatedAt) ? admittedAt : updatedAt;
    }

    /** Why this task is stuck at {@code now}, if it is. Overrunning the timeout wins over a stale heartbeat. */
    Optional<Stuck> stuck(Instant now, Duration staleAfter, Duration timeoutMargin) {
        if (status.equals("pending")) {
            Instant sent = sentAt();
            return iteration > 1 && sent != null && sent.isBefore(now.minus(staleAfter))
                    ? Optional.of(new Stuck(this, Stuck.Kind.WORKSPACE_LOST, workspaceLostSentence(staleAfter)))
                    : Optional.empty();
        }
        if (startedAt != null) {
            Instant deadline = startedAt.plusSeconds(timeoutSeconds).plus(timeoutMargin);
            if (deadline.isBefore(now)) {
                return Optional.of(new Stuck(this, Stuck.Kind.TIMED_OUT, timedOutSentence(timeoutMargin)));
            }
        }
        if (lastSignOfLife().isBefore(now.minus(staleAfter))) {
            return Optional.of(new Stuck(this, Stuck.Kind.WORKER_LOST, workerLostSentence(staleAfter)));
        }
        return Optional.empty();
    }

    private String timedOutSentence(Duration margin) {
        return "Timed out (worker lost): the task started at " + startedAt + " with a timeout of " + timeoutSeconds
                + " s, and " + worker() + " reported no end within a further " + Durations.human(margin) + ".";
    }

    private String workerLostSentence(Duration staleAfter) {
        return "Worker lost: " + worker() + " sent no heartbeat since " + lastSignOfLife() + ", more than "
                + Durations.human(staleAfter) + " ago, while the task was " + status + ".";
    }

    private String workspaceLostSentence(Duration staleAfter) {
        return "Workspace lost: iteration " + iteration + " was sent at " + sentAt() + " to " + worker()
                + ", which holds the task's workspace, and it did not start within " + Durations.human(staleAfter)
                + "; submit a new task.";
    }

    private String worker() {
        return workerId == null ? "the worker" : "worker " + workerId;
    }

    /** A held task judged stuck, with the sentence people will read as the task's error. */
    record Stuck(HeldTask task, Kind kind, String error) {

        enum Kind {
            WORKER_LOST,
            TIMED_OUT,
            WORKSPACE_LOST
        }
    }
}
