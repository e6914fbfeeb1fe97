package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.task.WorkspaceEvent;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The workspaces workers report holding for tasks ({@code workspaces}), with their task's status. */
@Repository
class Workspaces {

    private final JdbcClient jdbc;

    Workspaces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A worker's report, as the projector applies it within its batch. */
    void apply(UUID taskId, String tenantId, WorkspaceEvent event) {
        switch (event) {
            case WorkspaceReported reported ->
                jdbc.sql("""
                            insert into workspaces (task_id, tenant_id, worker_id, size_bytes, created_at, last_used_at)
                            select id, tenant_id, ?, ?, ?, ? from tasks where id = ? and tenant_id = ?
                            on conflict (task_id) do update set worker_id = excluded.worker_id,
                                size_bytes = excluded.size_bytes, last_used_at = excluded.last_used_at,
                                updated_at = now()""")
                        .params(
                                reported.workerId(),
                                reported.sizeBytes(),
                                Timestamp.from(reported.createdAt()),
                                Timestamp.from(reported.lastUsedAt()),
                                taskId,
                                tenantId)
                        .update();
            case WorkspaceRemoved removed ->
                jdbc.sql("delete from workspaces where task_id = ? and tenant_id = ? and worker_id = ?")
                        .params(taskId, tenantId, removed.workerId())
                        .update();
        }
    }

    List<TaskWorkspaces.Workspace> list(TenantId tenant) {
        return jdbc.sql("""
                        select w.task_id, w.worker_id, w.size_bytes, w.created_at, w.last_used_at, t.status
                        from workspaces w join tasks t on t.id = w.task_id
                        where w.tenant_id = ? and not w.deleting order by w.created_at desc""")
                .param(tenant.value())
                .query((rs, n) -> new TaskWorkspaces.Workspace(
                        rs.getObject("task_id", UUID.class),
                        rs.getString("worker_id"),
                        rs.getLong("size_bytes"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("last_used_at").toInstant(),
                        TaskStatus.of(rs.getString("status"))))
                .list();
    }

    record Held(String workerId, TaskStatus taskStatus) {}

    /** The workspace of the task, locked for its removal. */
    Optional<Held> lock(TenantId tenant, UUID taskId) {
        return jdbc.sql("""
                        select w.worker_id, t.status from workspaces w join tasks t on t.id = w.task_id
                        where w.tenant_id = ? and w.task_id = ? and not w.deleting for update of w""")
                .params(tenant.value(), taskId)
                .query((rs, n) -> new Held(rs.getString("worker_id"), TaskStatus.of(rs.getString("status"))))
                .optional();
    }

    void markDeleting(UUID taskId) {
        jdbc.sql("update workspaces set deleting = true, updated_at = now() where task_id = ?")
                .param(taskId)
                .update();
    }

    /** The worker that holds the task's workspace, unless it is gone or going. */
    Optional<String> holder(UUID taskId) {
        return jdbc.sql("select worker_id from workspaces where task_id = ? and not deleting")
                .param(taskId)
                .query(String.class)
                .optional();
    }
}
