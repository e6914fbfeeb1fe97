package dev.agentry.scheduler.webhook;

import dev.agentry.scheduler.webhook.Endpoints.GoneEndpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code webhook_deliveries} and {@code webhook_attempts} tables (API migration V3), the queue of record. A
 * delivery is born claimed for its first attempt by the process that created it; every later attempt first claims it
 * with one conditional update, so two triggers for the same attempt (an in-process timer and a JobRunr job, two
 * replicas, a sweep after a restart) send it once. The hot path costs two statements a delivery (a batch insert shared
 * with its neighbours, then the record of the attempt) besides reading the signing secret.
 */
class Deliveries {

    private final JdbcClient jdbc;

    Deliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A delivery an attempt holds; {@code attempt} is this attempt's number, 1 for the first. {@code gone} says since
     * when and why its endpoint was given up, if it was.
     */
    record Claimed(
            UUID id,
            String tenantId,
            UUID subjectId,
            String eventType,
            String url,
            byte[] body,
            @Nullable String traceId,
            int attempt,
            boolean manual,
            Instant createdAt,
            @Nullable GoneEndpoint gone) {}

    /**
     * Inserts deliveries already claimed for their first attempt ({@code sending}, attempt 1, leased until
     * {@code leaseUntil}), in one statement; returns the ones that were new. An event seen twice (a redelivered Kafka
     * record, a second replica) finds its deliveries there and gets nothing back, so it sends nothing twice; so does a
     * second terminal event of an iteration (its {@code terminal_key} is taken), in the order given. If this
     * process dies before the attempt is recorded, the lease runs out and the sweeper retries it.
     */
    List<NewDelivery> insertClaimed(List<NewDelivery> deliveries, Instant now, Instant leaseUntil) {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        Set<UUID> created = new HashSet<>(jdbc.sql("""
                        insert into webhook_deliveries (id, tenant_id, task_id, conversation_id, event_id, event_type,
                                url, body, trace_id, terminal_key, status, attempts, next_attempt_at, lease_until,
                                created_at, updated_at)
                        select d.id, d.tenant_id, d.task_id, d.conversation_id, d.event_id, d.event_type, d.url,
                               d.body, d.trace_id, d.terminal_key, 'sending', 1, :now, :lease, :now, :now
                          from unnest(:ids::uuid[], :tenants::text[], :tasks::uuid[], :conversations::uuid[],
                                      :events::uuid[], :types::text[], :urls::text[], :bodies::bytea[],
                                      :traces::text[], :terminals::text[])
                               with ordinality
                               as d(id, tenant_id, task_id, conversation_id, event_id, event_type, url, body,
                                    trace_id, terminal_key, n)
                         order by d.n
                        on conflict do nothing
                        returning id""")
                .param("ids", column(deliveries, d -> d.id().toString()))
                .param("tenants", column(deliveries, NewDelivery::tenantId))
                .param(
                        "tasks",
                        column(
                                deliveries,
                                d -> d.taskId() == null ? null : d.taskId().toString()))
                .param(
                        "conversations",
                        column(
                                deliveries,
                                d -> d.conversationId() == null
                                        ? null
                                        : d.conversationId().toString()))
                .param("events", column(deliveries, d -> d.eventId().toString()))
                .param("types", column(deliveries, NewDelivery::eventType))
                .param("urls", column(deliveries, NewDelivery::url))
                .param("bodies", deliveries.stream().map(NewDelivery::body).toArray(byte[][]::new))
                .param("traces", column(deliveries, NewDelivery::traceId))
                .param("terminals", column(deliveries, NewDelivery::terminalKey))
                .param("now", Sql.utc(now))
                .param("lease", Sql.utc(leaseUntil))
                .query(UUID.class)
                .list());
        return deliveries.stream().filter(d -> created.contains(d.id())).toList();
    }

    /** Inserts a delivery that is final on arrival (its endpoint is gone), with why, unless it exists. */
    void insertDead(NewDelivery delivery, String why, Instant now) {
        jdbc.sql("""
                        insert into webhook_deliveries (id, tenant_id, task_id, conversation_id, event_id, event_type,
                                url, body, trace_id, terminal_key, status, last_error, created_at, updated_at)
                        values (:id, :tenant, :task, :conversation, :event, :type, :url, :body, :trace, :terminal,
                                'dead', :error, :now, :now)
                        on conflict do nothing""")
                .param("id", delivery.id())
                .param("tenant", delivery.tenantId())
                .param("task", delivery.taskId())
                .param("conversation", delivery.conversationId())
                .param("event", delivery.eventId())
                .param("type", delivery.eventType())
                .param("url", delivery.url())
                .param("body", delivery.body())
                .param("trace", delivery.traceId())
                .param("terminal", delivery.terminalKey())
                .param("error", why)
                .param("now", Sql.utc(now))
                .update();
    }

    /**
     * Takes the delivery for one attempt if it is due (or its last holder's lease ran out), counting the attempt.
     * Empty when there is nothing to do: not due yet, finished, or another attempt holds it.
     */
    Optional<Claimed> claim(UUID id, Instant now, Instant dueBy, Instant leaseUntil) {
        return jdbc.sql("""
                        with claimed as (
                            update webhook_deliveries
                               set status = 'sending', attempts = attempts + 1, lease_until = :lease, updated_at = :now
                             where id = :id
                               and ((status = 'pending' and next_attempt_at <= :dueBy)
                                    or (status = 'sending' and lease_until < :now))
                            returning id, tenant_id, coalesce(task_id, conversation_id) as subject_id, event_type,
                                      url, body, trace_id, attempts, manual, created_at)
                        select c.*, g.gone_at, g.reason as gone_reason
                          from claimed c
                          left join webhook_gone_endpoints g on g.tenant_id = c.tenant_id and g.url = c.url""")
                .param("id", id)
                .param("now", Sql.utc(now))
                .param("dueBy", Sql.utc(dueBy))
                .param("lease", Sql.utc(leaseUntil))
                .query((rs, n) -> new Claimed(
                        rs.getObject("id", UUID.class),
                        rs.getString("tenant_id"),
                        rs.getObject("subject_id", UUID.class),
                        rs.getString("event_type"),
                        rs.getString("url"),
                        rs.getBytes("body"),
                        rs.getString("trace_id"),
                        rs.getInt("attempts"),
                        rs.getBoolean("manual"),
                        Sql.instant(rs, "created_at"),
                        goneEndpoint(rs)))
                .optional();
    }

    /** Gives a claimed delivery back without counting the attempt, to be tried at {@code at}. */
    void release(Claimed claimed, Instant at, Instant now) {
        jdbc.sql("""
                        update webhook_deliveries
                           set status = 'pending', attempts = attempts - 1, next_attempt_at = ?, lease_until = null,
                               updated_at = ?
                         where id = ? and status = 'sending' and attempts = ?""")
                .params(Sql.utc(at), Sql.utc(now), claimed.id(), claimed.attempt())
                .update();
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
        // One statement, so one round trip: the attempt row is written only if the claim still held, and a success
        // clears the endpoint's run of failures.
        jdbc.sql("""
                        with moved as (
                            update webhook_deliveries
                               set status = :status, next_attempt_at = :next, lease_until = null,
                                   last_status_code = :code, last_error = :error, updated_at = :now,
                                   manual = case when :status = 'pending' then manual else false end
                             where id = :id and status = 'sending' and attempts = :attempt
                            returning id, tenant_id, url),
                        healed as (
                            delete from webhook_endpoint_failures f
                             using moved
                             where :status = 'succeeded' and f.tenant_id = moved.tenant_id and f.url = moved.url)
                        insert into webhook_attempts (delivery_id, number, tenant_id, attempted_at, latency_ms,
                                status_code, response_body, error, manual)
                        select id, :attempt, tenant_id, :attemptedAt, :latency, :code, :body, :error, :manual
                          from moved
                        on conflict do nothing""")
                .param("status", status)
                .param("next", nextAttemptAt == null ? null : Sql.utc(nextAttemptAt))
                .param("code", attempt.statusCode(), Types.INTEGER)
                .param("error", attempt.error(), Types.VARCHAR)
                .param("now", Sql.utc(now))
                .param("id", claimed.id())
                .param("attempt", claimed.attempt())
                .param("attemptedAt", Sql.utc(attempt.attemptedAt()))
                .param("latency", attempt.latencyMs())
                .param("body", attempt.responseBody(), Types.VARCHAR)
                .param("manual", claimed.manual())
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
                .param("now", Sql.utc(now))
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
                .param("overdueBefore", Sql.utc(overdueBefore))
                .param("now", Sql.utc(now))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    private static @Nullable GoneEndpoint goneEndpoint(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject("gone_at", OffsetDateTime.class);
        return at == null ? null : new GoneEndpoint(at.toInstant(), rs.getString("gone_reason"));
    }

    private static String[] column(List<NewDelivery> deliveries, Function<NewDelivery, @Nullable String> value) {
        return deliveries.stream().map(value).toArray(String[]::new);
    }
}
