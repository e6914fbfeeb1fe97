package dev.agentry.api.task;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.task.DeleteWorkspace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The tasks' workspaces, as the workspace API lists and removes them. */
@Service
public class TaskWorkspaces {

    private static final Logger log = LoggerFactory.getLogger(TaskWorkspaces.class);

    private final Workspaces workspaces;
    private final Outbox outbox;

    TaskWorkspaces(Workspaces workspaces, Outbox outbox) {
        this.workspaces = workspaces;
        this.outbox = outbox;
    }

    public record Workspace(
            UUID taskId,
            String workerId,
            long sizeBytes,
            Instant createdAt,
            Instant lastUsedAt,
            TaskStatus taskStatus) {}

    /** Newest first; a workspace being deleted is no longer listed. */
    public List<Workspace> list(TenantId tenant) {
        return workspaces.list(tenant);
    }

    /**
     * Asks the worker holding the task's workspace to remove it, unless the task is still active; answers that
     * worker's id. The row stays, marked deleting, until the worker reports the workspace removed.
     */
    @Transactional
    public String delete(TenantId tenant, UUID taskId) {
        Workspaces.Held held = workspaces.lock(tenant, taskId).orElseThrow(() -> Tasks.notFound(taskId));
        if (held.taskStatus().active()) {
            throw new ConflictException("The task of workspace " + taskId + " is "
                    + held.taskStatus().wire() + ".");
        }
        workspaces.markDeleting(taskId);
        outbox.append(
                Topics.TASK_CONTROL,
                Envelope.of(taskId, tenant.value(), new DeleteWorkspace(held.workerId())),
                Map.of());
        log.info("Workspace of task {} of tenant {} is being deleted on worker {}.", taskId, tenant, held.workerId());
        return held.workerId();
    }
}
