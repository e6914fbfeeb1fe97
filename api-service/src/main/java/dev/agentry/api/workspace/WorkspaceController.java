package dev.agentry.api.workspace;

import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.task.TaskConflictException;
import dev.agentry.api.task.TaskNotFoundException;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.task.DeleteWorkspace;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 004's workspaces: what workers report holding for this tenant, and removal on whichever worker holds one.
 */
@RestController
@RequestMapping(path = "/api/v1/workspaces", produces = MediaType.APPLICATION_JSON_VALUE)
class WorkspaceController {

    private static final Set<String> ACTIVE = Set.of("pending", "cloning", "running", "creating_pr");

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Duration maxAge;

    WorkspaceController(
            JdbcClient jdbc, Outbox outbox, @Value("${agentry.api.workspace-max-age:72h}") Duration maxAge) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.maxAge = maxAge;
    }

    record WorkspaceInfo(
            UUID taskId,
            String workerId,
            BigDecimal sizeMb,
            Instant createdAt,
            Instant lastUsedAt,
            Instant expiresAt,
            String taskStatus) {}

    record WorkspaceList(List<WorkspaceInfo> workspaces, BigDecimal totalSizeMb, int totalCount) {}

    @GetMapping
    WorkspaceList list(TenantId tenant) {
        List<WorkspaceInfo> workspaces = jdbc.sql("""
                        select w.task_id, w.worker_id, w.size_bytes, w.created_at, w.last_used_at, t.status
                        from workspaces w join tasks t on t.id = w.task_id
                        where w.tenant_id = ? and not w.deleting order by w.created_at desc""")
                .param(tenant.value())
                .query((rs, n) -> {
                    Instant lastUsed = rs.getTimestamp("last_used_at").toInstant();
                    return new WorkspaceInfo(
                            rs.getObject("task_id", UUID.class),
                            rs.getString("worker_id"),
                            megabytes(rs.getLong("size_bytes")),
                            rs.getTimestamp("created_at").toInstant(),
                            lastUsed,
                            lastUsed.plus(maxAge),
                            rs.getString("status"));
                })
                .list();
        BigDecimal total = workspaces.stream().map(WorkspaceInfo::sizeMb).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new WorkspaceList(workspaces, total, workspaces.size());
    }

    @DeleteMapping("/{taskId}")
    @Transactional
    Map<String, String> delete(TenantId tenant, @PathVariable UUID taskId) {
        record Held(String workerId, String status) {}
        Held held = jdbc.sql("""
                        select w.worker_id, t.status from workspaces w join tasks t on t.id = w.task_id
                        where w.tenant_id = ? and w.task_id = ? and not w.deleting for update of w""")
                .params(tenant.value(), taskId)
                .query((rs, n) -> new Held(rs.getString("worker_id"), rs.getString("status")))
                .optional()
                .orElseThrow(() -> new TaskNotFoundException(taskId));
        if (ACTIVE.contains(held.status())) {
            throw new TaskConflictException("The task of workspace " + taskId + " is " + held.status() + ".");
        }
        jdbc.sql("update workspaces set deleting = true, updated_at = now() where task_id = ?")
                .param(taskId)
                .update();
        outbox.append(
                Topics.TASK_CONTROL,
                Envelope.of(taskId, tenant.value(), new DeleteWorkspace(held.workerId())),
                Map.of());
        return Map.of(
                "message", "Workspace of task " + taskId + " is being deleted on worker " + held.workerId() + ".");
    }

    private static BigDecimal megabytes(long bytes) {
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1024L * 1024L), 2, RoundingMode.HALF_UP);
    }
}
