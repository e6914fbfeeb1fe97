package dev.agentry.worker.housekeeping;

import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.execution.TaskExecutor;
import dev.agentry.worker.messaging.TaskEventPublisher;
import dev.agentry.worker.workspace.WorkspaceInfo;
import dev.agentry.worker.workspace.Workspaces;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the API's view of this worker's workspaces current and the disk in check: every
 * {@code workspace-report-interval} each workspace on disk is reported ({@code workspace.reported}); every
 * {@code workspace-cleanup-interval} workspaces unused for longer than {@code workspace-max-age} are deleted
 * ({@code workspace.removed}, reason {@code expired}), never one a task is running in. The gauges
 * {@code agentry.worker.workspace.disk.bytes} and {@code agentry.worker.workspace.count} show the last scan.
 */
@Component
public class WorkspaceHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(WorkspaceHousekeeping.class);

    private final WorkerProperties properties;
    private final Workspaces workspaces;
    private final TaskExecutor executor;
    private final TaskEventPublisher publisher;
    private final AtomicLong diskBytes = new AtomicLong();
    private final AtomicLong count = new AtomicLong();

    WorkspaceHousekeeping(
            WorkerProperties properties,
            Workspaces workspaces,
            TaskExecutor executor,
            TaskEventPublisher publisher,
            MeterRegistry meters) {
        this.properties = properties;
        this.workspaces = workspaces;
        this.executor = executor;
        this.publisher = publisher;
        Gauge.builder("agentry.worker.workspace.disk.bytes", diskBytes, AtomicLong::get)
                .description("Bytes used by the task workspaces (and agent state) on this worker, at the last scan")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("agentry.worker.workspace.count", count, AtomicLong::get)
                .description("Task workspaces on this worker, at the last scan")
                .register(meters);
    }

    /** Reports every workspace on disk. */
    @Scheduled(
            initialDelayString = "${agentry.worker.workspace-report-interval:60s}",
            fixedDelayString = "${agentry.worker.workspace-report-interval:60s}")
    public void report() {
        List<WorkspaceInfo> all = scan();
        for (WorkspaceInfo workspace : all) {
            publisher.publish(
                    workspace.taskId(),
                    workspace.metadata().tenantId(),
                    null,
                    new WorkspaceReported(
                            properties.workerId(),
                            workspace.sizeBytes(),
                            workspace.metadata().createdAt(),
                            workspace.metadata().lastUsedAt()));
        }
        log.debug("Reported {} workspaces.", all.size());
    }

    /** Deletes the workspaces unused for longer than the maximum age, except those a task is running in. */
    @Scheduled(
            initialDelayString = "${agentry.worker.workspace-cleanup-interval:10m}",
            fixedDelayString = "${agentry.worker.workspace-cleanup-interval:10m}")
    public void removeExpired() {
        Instant cutoff = Instant.now().minus(properties.workspaceMaxAge());
        for (WorkspaceInfo workspace : scan()) {
            if (!workspace.metadata().lastUsedAt().isBefore(cutoff)) {
                continue;
            }
            boolean deleted;
            try {
                deleted = executor.whileNotRunning(workspace.taskId(), () -> workspaces.delete(workspace.taskId()));
            } catch (RuntimeException e) {
                log.warn("Expired workspace of task {} could not be deleted: {}", workspace.taskId(), e.getMessage());
                continue;
            }
            if (!deleted) {
                continue;
            }
            log.info(
                    "Workspace of task {} expired (last used {}) and was deleted.",
                    workspace.taskId(),
                    workspace.metadata().lastUsedAt());
            publisher.publish(
                    workspace.taskId(),
                    workspace.metadata().tenantId(),
                    null,
                    new WorkspaceRemoved(properties.workerId(), "expired"));
        }
        scan();
    }

    private List<WorkspaceInfo> scan() {
        List<WorkspaceInfo> all = workspaces.all();
        diskBytes.set(all.stream().mapToLong(WorkspaceInfo::sizeBytes).sum());
        count.set(all.size());
        return all;
    }
}
