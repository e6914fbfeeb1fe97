package dev.agentry.scheduler.webhook;

import java.sql.Array;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What delivery needs to know of the API's tasks and tenants, read (never written) through the API's contract views
 * {@code scheduler_tasks} and {@code scheduler_webhook_subscriptions} (API migration V8).
 */
class CallbackTasks {

    private final JdbcClient jdbc;

    CallbackTasks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The task as the API projected it; result, usage and changes (JSON) fill the {@code task.pr_created} body.
     * {@code webhookEvents} is the task's own choice of event types, null when it follows its tenant's.
     */
    record TaskRow(
            UUID id,
            String tenantId,
            @Nullable String callbackUrl,
            @Nullable String traceId,
            Instant createdAt,
            @Nullable String result,
            @Nullable String usage,
            @Nullable String changes,
            @Nullable List<String> webhookEvents) {}

    /** The tasks of a batch of events, by id; a task the API has not written yet is missing from the map. */
    Map<UUID, TaskRow> tasks(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, TaskRow> tasks = new HashMap<>();
        jdbc.sql("""
                        select id, tenant_id, callback_url, trace_id, created_at, result, usage::text as usage,
                               changes_summary::text as changes, webhook_events
                          from scheduler_tasks where id = any(?::uuid[])""")
                .param(ids.stream().map(UUID::toString).toArray(String[]::new))
                .query((RowCallbackHandler) rs -> {
                    Array events = rs.getArray("webhook_events");
                    TaskRow task = new TaskRow(
                            rs.getObject("id", UUID.class),
                            rs.getString("tenant_id"),
                            rs.getString("callback_url"),
                            rs.getString("trace_id"),
                            Sql.instant(rs, "created_at"),
                            rs.getString("result"),
                            rs.getString("usage"),
                            rs.getString("changes"),
                            events == null ? null : List.of((String[]) events.getArray()));
                    tasks.put(task.id(), task);
                });
        return tasks;
    }

    /** A tenant's own endpoint, for the events that have no task callback, and the types it chose. */
    record TenantEndpoint(String url, List<String> eventTypes) {}

    /** The endpoints of these tenants that set one (API migration V12.2); the others are missing from the map. */
    Map<String, TenantEndpoint> tenantEndpoints(Collection<String> tenantIds) {
        if (tenantIds.isEmpty()) {
            return Map.of();
        }
        Map<String, TenantEndpoint> endpoints = new HashMap<>();
        jdbc.sql("""
                        select tenant_id, url, event_types from scheduler_webhook_subscriptions
                         where tenant_id = any(?) and url is not null""").param(tenantIds.toArray(String[]::new)).query((RowCallbackHandler) rs ->
                endpoints.put(rs.getString("tenant_id"), new TenantEndpoint(rs.getString("url"), List.of((String[])
                        rs.getArray("event_types").getArray()))));
        return endpoints;
    }

    /** The event types each of these tenants chose; a tenant that never chose is missing from the map. */
    Map<String, List<String>> eventTypes(Collection<String> tenantIds) {
        if (tenantIds.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> types = new HashMap<>();
        jdbc.sql("select tenant_id, event_types from scheduler_webhook_subscriptions where tenant_id = any(?)")
                .param(tenantIds.toArray(String[]::new))
                .query((RowCallbackHandler) rs -> types.put(rs.getString("tenant_id"), List.of((String[])
                        rs.getArray("event_types").getArray())));
        return types;
    }
}
