package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** A task's event log as streams replay it, and the status it has reached. */
@Service
public class TaskLog {

    private final Tasks tasks;
    private final TaskEventLog log;

    TaskLog(Tasks tasks, TaskEventLog log) {
        this.tasks = tasks;
        this.log = log;
    }

    /** The task's status now; another tenant's task is not found. */
    public TaskStatus status(TenantId tenant, UUID taskId) {
        return tasks.status(tenant, taskId).orElseThrow(() -> Tasks.notFound(taskId));
    }

    /** The {@code seq} of the task's latest log entry, 0 when it has none. */
    public long lastSeq(TenantId tenant, UUID taskId) {
        return tasks.lastSeq(tenant, taskId).orElseThrow(() -> Tasks.notFound(taskId));
    }

    /** The entries after {@code after}, in {@code seq} order. */
    public List<LoggedEvent> after(TenantId tenant, UUID taskId, long after) {
        return log.history(tenant, taskId, after);
    }
}
