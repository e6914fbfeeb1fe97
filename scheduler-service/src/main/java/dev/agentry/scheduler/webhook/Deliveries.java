package dev.agentry.scheduler.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The {@code webhook_deliveries} and {@code webhook_attempts} tables (API migration V3), the queue of record. An
 * attempt first claims its delivery with one conditional update, so two triggers for the same attempt (an in-process
 * timer and a JobRunr job, two replicas, a sweep after a restart) send it once.
 */
class Deliveries {

    private final JdbcClient jdbc;
    private final TransactionOperations transactions;

    Deliveries(JdbcClient jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** The task as the API projected it; result, usage and changes (JSON) fill the {@code task.pr_created} body. */
    record TaskRow(
            String tenantId,
            @Nullable String callbackUrl,
            @Nullable String traceId,
            Instant createdAt,
            @Nullable String result,
            @Nullable String usage,
            @Nullable String changes) {}

    record NewDelivery(
            UUID id,
            String tenantId,
            UUID taskId,
            UUID eventId,
            String eventType,
            String url,
            byte[] body,
            @Nullable String traceId) {}

    /** A delivery an attempt holds; {@code attempt} is this attempt's number, 1 for the first. */
    record Claimed(
            UUID id,
            String tenantId,
            UUID taskId,
            String eventType,
            String url,
            byte[] body,
            @Nullable String traceId,
            int attempt,
            boolean manual,
            Instant createdAt) {}

    Optional<TaskRow> task(UUID taskId) {
        return jdbc.sql("""
                        select tenant_id, callback_url, trace_id, created_at, result, usage::text as usage,
                               changes_summary::text as changes
                          from tasks where id = ?""")
                .param(taskId)
                .query((rs, n) -> new TaskRow(
                        rs.getString("tenant_id"),
                        rs.getString("callback_url"),
                        rs.getString("trace_id"),
                        instant(rs, "created_at"),
                        rs.getString("result"),
                        rs.getString("usage"),
                        rs.getString("changes")))
                .optional();
    }

    Optional<List<String>> eventTypes(String tenantId) {
        return jdbc.sql("select event_types from webhook_settings where tenant_id = ?")
                .param(tenantId)
                .query((rs, n) ->
                        Arrays.asList((String[]) rs.getArray("event_types").getArray()))
                .optional();
    }

    Optional<Instant> goneSince(String tenantId, String url) {
        return jdbc.sql("select gone_at from webhook_gone_endpoints where tenant_id = ? and url = ?")
                .params(tenantId, url)
                .query((rs, n) -> instant(rs, "gone_at"))
                .optional();
    }

    void markGone(String tenantId, String url, Instant at) {
        jdbc.sql("""
                        insert into webhook_gone_endpoints (tenant_id, url, gone_at) values (?, ?, ?)
                        on conflict (tenant_id, url) do update set gone_at = excluded.gone_at""").params(tenantId, url, utc(at)).update();
    }

    /** Inserts the delivery unless this event already has one; true when it was new. */
    boolean insert(NewDelivery delivery, String status, @Nullable String lastError, Instant now) {
        return jdbc.sql("""
                        insert into webhook_deliveries (id, tenant_id, task_id, event_id, event_type, url, body,
                                trace_id, status, next_attempt_at, last_error, created_at, updated_at)
                        values (:id, :tenant, :task, :event, :type, :url, :body, :trace, :status, :next, :error,
                                :now, :now)
                        on conflict do nothing""")
                        .param("id", delivery.id())
                        .param("tenant", delivery.tenantId())
                        .param("task", delivery.taskId())
                        .param("event", delivery.eventId())
                        .param("type", delivery.eventType())
                        .param("url", delivery.url())
                        .param("body", delivery.body())
                        .param("trace", delivery.traceId())
                        .param("status", status)
                        .param("next", status.equals("pending") ? utc(now) : null)
                        .param("error", lastError)
                        .param("now", utc(now))
                        .update()
                == 1;
    }

    /**
     * Takes the delivery for one attempt if it is due (or its last holder's lease ran out), counting the attempt.
     * Empty when there is nothing to do: not due yet, finished, or another attempt holds it.
     */
    Optional<Claimed> claim(UUID id, Instant now, Instant dueBy, Instant leaseUntil) {
        return jdbc.sql("""
                        update webhook_deliveries
                           set status = 'sending', attempts = attempts + 1, lease_until = :lease, updated_at = :now
                         where id = :id
                           and ((status = 'pending' and next_attempt_at <= :dueBy)
                                or (status = 'sending' and lease_until < :now))
                        returning id, tenant_id, task_id, event_type, url, body, trace_id, attempts, manual,
                                  created_at""")
                .param("id", id)
                .param("now", utc(now))
                .param("dueBy", utc(dueBy))
                .param("lease", utc(leaseUntil))
                .query((rs, n) -> new Claimed(
                        rs.getObject("id", UUID.class),
                        rs.getString("tenant_id"),
                        rs.getObject("task_id", UUID.class),
                        rs.getString("event_type"),
                        rs.getString("url"),
                        rs.getBytes("body"),
                        rs.getString("trace_id"),
                        rs.getInt("attempts"),
                        rs.getBoolean("manual"),
                        instant(rs, "created_at")))
                .optional();
    }

    /** Gives a claimed delivery back without counting the attempt, to be tried at {@code at}. */
    void release(Claimed claimed, Instant at, Instant now) {
        jdbc.sql("""
                        update webhook_deliveries
                           set status = 'pending', attempts = attempts - 1, next_attempt_at = ?, lease_until = null,
                               updated_at = ?
                         where id = ? and status = 'sending' and attempts = ?""").params(utc(at), utc(now), claimed.id(), claimed.attempt()).update();
    }

    record Attempt(
            Instant attemptedAt,
            long latencyMs,
            @Nullable Integer statusCode,
            @Nullable String responseBody,
            @Nullable String error) {}

    /**
     * Records the attempt and moves the delivery on: {@code pending} with {@code nextAttemptAt}, or final
     * ({@code succeeded}, {@code dead}) when {@code nextAttemptAt} is null. Does nothing if the claim was lost.
     */
    void record(Claimed claimed, Attempt attempt, String status, @Nullable Instant nextAttemptAt, Instant now) {
        transactions.executeWithoutResult(tx -> recordInTransaction(claimed, attempt, status, nextAttemptAt, now));
    }

    private void recordInTransaction(
            Claimed claimed, Attempt attempt, String status, @Nullable Instant nextAttemptAt, Instant now) {
        int updated = jdbc.sql("""
                        update webhook_deliveries
                           set status = :status, next_attempt_at = :next, lease_until = null,
                               last_status_code = :code, last_error = :error, updated_at = :now,
                               manual = case when :status = 'pending' then manual else false end
                         where id = :id and status = 'sending' and attempts = :attempt""")
                .param("status", status)
                .param("next", nextAttemptAt == null ? null : utc(nextAttemptAt))
                .param("code", attempt.statusCode())
                .param("error", attempt.error())
                .param("now", utc(now))
                .param("id", claimed.id())
                .param("attempt", claimed.attempt())
                .update();
        if (updated == 0) {
            return;
        }
        jdbc.sql("""
                        insert into webhook_attempts (delivery_id, number, tenant_id, attempted_at, latency_ms,
                                status_code, response_body, error, manual)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        on conflict do nothing""")
                .params(
                        claimed.id(),
                        claimed.attempt(),
                        claimed.tenantId(),
                        utc(attempt.attemptedAt()),
                        attempt.latencyMs(),
                        attempt.statusCode(),
                        attempt.responseBody(),
                        attempt.error(),
                        claimed.manual())
                .update();
    }

    /**
     * Turns redelivery requests into due deliveries: a finished one gets one manual attempt, a pending one is just
     * made due now. One being sent keeps its request for the next sweep.
     */
    List<UUID> takeRedeliveryRequests(Instant now, int limit) {
        return jdbc.sql("""
                        update webhook_deliveries d
                           set status = 'pending', manual = (d.status <> 'pending'), next_attempt_at = :now,
                               redeliver_requested_at = null, updated_at = :now
                         where d.id in (select id from webhook_deliveries
                                         where redeliver_requested_at is not null and status <> 'sending'
                                         order by redeliver_requested_at
                                         limit :limit
                                         for update skip locked)
                        returning d.id""")
                .param("now", utc(now))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** Deliveries due before {@code overdueBefore} with no trigger that took them, or whose holder went away. */
    List<UUID> overdue(Instant overdueBefore, Instant now, int limit) {
        return jdbc.sql("""
                        select id from webhook_deliveries
                         where (status = 'pending' and next_attempt_at < :overdueBefore)
                            or (status = 'sending' and lease_until < :now)
                         order by next_attempt_at
                         limit :limit""")
                .param("overdueBefore", utc(overdueBefore))
                .param("now", utc(now))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
