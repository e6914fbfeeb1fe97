package dev.agentry.api.task;

import dev.agentry.events.Envelope;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.WorkspaceEvent;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns task events into the read model: an ordered per-task event log ({@code seq} 1, 2, 3 ...) and the task's
 * current state. Idempotent: an event id already in the log changes nothing. Monotonic: once an iteration is
 * terminal, later events of it (a late worker, a redelivery, the reaper racing a completion) change nothing,
 * and events of an older iteration are ignored.
 */
@Service
class TaskProjection {

    private static final Logger log = LoggerFactory.getLogger(TaskProjection.class);

    private final TaskEventLog events;
    private final Workspaces workspaces;
    private final LogEntries entries;

    TaskProjection(TaskEventLog events, Workspaces workspaces, LogEntries entries) {
        this.events = events;
        this.workspaces = workspaces;
        this.entries = entries;
    }

    /** A task as this batch has left it so far. */
    private static final class State {
        final String tenantId;
        final int iteration;
        TaskStatus status;
        long lastSeq;

        State(TaskEventLog.Head head) {
            this.tenantId = head.tenantId();
            this.iteration = head.iteration();
            this.status = head.status();
            this.lastSeq = head.lastSeq();
        }
    }

    /**
     * Applies a batch in one transaction and returns the log entries it appended, in order. Workspace reports in
     * the batch update the workspaces table; they are not part of the task's log.
     */
    @Transactional
    List<LoggedEvent> apply(List<Envelope<?>> messages) {
        Map<UUID, Optional<State>> states = new HashMap<>();
        List<LoggedEvent> appended = new ArrayList<>();
        for (Envelope<?> message : messages) {
            if (message.payload() instanceof WorkspaceEvent workspace) {
                workspaces.apply(message.aggregateId(), message.tenantId(), workspace);
                continue;
            }
            if (!(message.payload() instanceof TaskEvent)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Envelope<TaskEvent> envelope = (Envelope<TaskEvent>) message;
            Optional<State> found = states.computeIfAbsent(
                    envelope.aggregateId(), id -> events.lock(id).map(State::new));
            if (found.isEmpty()) {
                log.warn("Event {} is for unknown task {}; skipped.", envelope.type(), envelope.aggregateId());
                continue;
            }
            State state = found.get();
            if (!state.tenantId.equals(envelope.tenantId())) {
                log.warn(
                        "Event {} claims tenant {} for task {} of another tenant; skipped.",
                        envelope.id(),
                        envelope.tenantId(),
                        envelope.aggregateId());
                continue;
            }
            TaskEvent event = envelope.payload();
            if (event.iteration() != state.iteration || state.status.terminal()) {
                continue;
            }
            if (event instanceof TaskHeartbeat) {
                events.heartbeat(envelope.aggregateId(), Timestamp.from(envelope.occurredAt()));
                continue;
            }
            LogEntries.Entry entry = entries.entry(event);
            long seq = state.lastSeq + 1;
            if (events.append(
                    envelope.aggregateId(),
                    seq,
                    state.tenantId,
                    envelope.id(),
                    event.iteration(),
                    entry,
                    Timestamp.from(envelope.occurredAt()))) {
                state.lastSeq = seq;
                state.status = applyState(envelope, state.status);
                appended.add(new LoggedEvent(
                        envelope.aggregateId(),
                        state.tenantId,
                        seq,
                        entry.type(),
                        entry.event(),
                        entry.data(),
                        envelope.occurredAt().toString()));
            }
        }
        return appended;
    }

    /** Writes what the event changes on the task row and its iteration; answers the task's status after it. */
    private TaskStatus applyState(Envelope<TaskEvent> envelope, TaskStatus status) {
        UUID id = envelope.aggregateId();
        Timestamp at = Timestamp.from(envelope.occurredAt());
        return switch (envelope.payload()) {
            case TaskStarted started -> {
                events.started(id, started, at);
                yield TaskStatus.fromWire(started.status()).orElse(TaskStatus.RUNNING);
            }
            case TaskRunning running -> {
                events.running(id, running.iteration(), running.workerId(), at);
                yield TaskStatus.RUNNING;
            }
            case TaskCompleted completed -> {
                events.completed(
                        id, completed, entries.usage(completed.usage()), entries.changes(completed.changes()), at);
                yield TaskStatus.COMPLETED;
            }
            case TaskFailed failed -> {
                events.failed(
                        id,
                        failed,
                        failed.usage() == null ? null : entries.usage(failed.usage()),
                        failed.changes() == null ? null : entries.changes(failed.changes()),
                        at);
                yield TaskStatus.FAILED;
            }
            case TaskPullRequestCreated created -> {
                events.pullRequestCreated(id, created);
                yield TaskStatus.PR_CREATED;
            }
            case TaskPullRequestFailed failed -> events.pullRequestFailed(id, failed);
            // the log entry is all an output changes; heartbeats are handled before the log
            case TaskOutput ignored -> status;
            case TaskHeartbeat ignored -> status;
        };
    }
}
