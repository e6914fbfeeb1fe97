package dev.agentry.scheduler.reaper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Writes task rows as the API's projector would, so the reaper has something to find. */
final class HeldTaskRows {

    private final JdbcClient jdbc;

    HeldTaskRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID insert(
            String tenant,
            String status,
            int iteration,
            int timeoutSeconds,
            @Nullable Instant startedAt,
            @Nullable Instant lastHeartbeatAt) {
        jdbc.sql("insert into tenants (id, name) values (:id, :id) on conflict do nothing")
                .param("id", tenant)
                .update();
        UUID id = UUID.randomUUID();
        Instant created = startedAt == null ? Instant.now() : startedAt.minusSeconds(5);
        jdbc.sql("""
                        insert into tasks (id, tenant_id, status, repo_url, prompt, current_prompt, config, runtime,
                                           timeout_seconds, iteration, worker_id, created_at, updated_at, started_at,
                                           last_heartbeat_at, admitted_at)
                        values (:id, :tenant, :status, 'https://example.com/r.git', 'p', 'p', '{}'::jsonb, 'echo',
                                :timeout, :iteration, 'worker-7', :created, :updated, :started, :heartbeat, :updated)
                        """)
                .param("id", id)
                .param("tenant", tenant)
                .param("status", status)
                .param("timeout", timeoutSeconds)
                .param("iteration", iteration)
                .param("created", utc(created))
                .param("updated", utc(lastHeartbeatAt != null ? lastHeartbeatAt : created))
                .param("started", utc(startedAt))
                .param("heartbeat", utc(lastHeartbeatAt))
                .update();
        return id;
    }

    /**
     * Sets when the API last handed the task to the workers ({@link #insert} says: at its last update); null is a
     * current iteration waiting for admission under its tenant's running-tasks limit.
     */
    void admittedAt(UUID task, @Nullable Instant admittedAt) {
        jdbc.sql("update tasks set admitted_at = :admitted where id = :id")
                .param("admitted", utc(admittedAt))
                .param("id", task)
                .update();
    }

    private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
