package dev.agentry.api.workspace;

import dev.agentry.api.task.TaskWorkspaces;
import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
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

    private final TaskWorkspaces workspaces;
    private final Duration maxAge;

    WorkspaceController(TaskWorkspaces workspaces, @Value("${agentry.api.workspace-max-age:72h}") Duration maxAge) {
        this.workspaces = workspaces;
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
        List<WorkspaceInfo> listed = workspaces.list(tenant).stream()
                .map(w -> new WorkspaceInfo(
                        w.taskId(),
                        w.workerId(),
                        megabytes(w.sizeBytes()),
                        w.createdAt(),
                        w.lastUsedAt(),
                        w.lastUsedAt().plus(maxAge),
                        w.taskStatus().wire()))
                .toList();
        BigDecimal total = listed.stream().map(WorkspaceInfo::sizeMb).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new WorkspaceList(listed, total, listed.size());
    }

    @DeleteMapping("/{taskId}")
    Map<String, String> delete(TenantId tenant, @PathVariable UUID taskId) {
        String worker = workspaces.delete(tenant, taskId);
        return Map.of("message", "Workspace of task " + taskId + " is being deleted on worker " + worker + ".");
    }

    private static BigDecimal megabytes(long bytes) {
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1024L * 1024L), 2, RoundingMode.HALF_UP);
    }
}
