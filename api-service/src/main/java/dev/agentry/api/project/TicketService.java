package dev.agentry.api.project;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.project.ProjectViews.TicketList;
import dev.agentry.api.project.ProjectViews.TicketView;
import dev.agentry.api.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A ticket's status changes and blocking overlay. Each change locks the ticket's row, so two concurrent moves
 * apply one after the other and the second is judged against the first's result.
 */
@Service
class TicketService {

    private final JdbcClient jdbc;

    TicketService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    TicketList list(
            TenantId tenant,
            @Nullable String projectId,
            @Nullable String status,
            @Nullable String priority,
            int limit,
            int offset) {
        if (limit < 1 || limit > 1000) {
            throw InvalidRequestException.field("limit", "must be between 1 and 1000");
        }
        if (offset < 0) {
            throw InvalidRequestException.field("offset", "must not be negative");
        }
        if (status != null && !TicketStates.STATUSES.contains(status)) {
            throw InvalidRequestException.field("status", "must be one of " + String.join(", ", TicketStates.STATUSES));
        }
        if (priority != null && !TicketStates.PRIORITIES.contains(priority)) {
            throw InvalidRequestException.field(
                    "priority", "must be one of " + String.join(", ", TicketStates.PRIORITIES));
        }
        StringBuilder where = new StringBuilder(" from tickets where tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenant.value()));
        if (projectId != null) {
            where.append(" and project_id = ?");
            params.add(projectId);
        }
        if (status != null) {
            where.append(" and status = ?");
            params.add(status);
        }
        if (priority != null) {
            where.append(" and priority = ?");
            params.add(priority);
        }
        long total = jdbc.sql("select count(*)" + where)
                .params(params)
                .query(Long.class)
                .single();
        List<Object> page = new ArrayList<>(params);
        page.add(limit);
        page.add(offset);
        List<TicketView> tickets = jdbc.sql("select " + ProjectService.TICKET_COLUMNS + where
                        + " order by created_at desc, id limit ? offset ?")
                .params(page)
                .query(ProjectService::ticket)
                .list();
        return new TicketList(tickets, total);
    }

    TicketView get(TenantId tenant, String id) {
        return find(tenant, id, false);
    }

    @Transactional
    TicketView transition(
            TenantId tenant, @Nullable String by, String id, @Nullable String to, @Nullable String reason) {
        if (to == null || !TicketStates.STATUSES.contains(to)) {
            throw InvalidRequestException.field(
                    "to_status", "must be one of " + String.join(", ", TicketStates.STATUSES));
        }
        TicketView t = find(tenant, id, true);
        if (t.isBlocked()) {
            if (!TicketStates.UNBLOCKING.contains(to)) {
                throw new ConflictException(
                        "ticket blocked",
                        "Ticket " + id + " is blocked (" + t.blockedReason() + "); it can only move to "
                                + String.join(
                                        ", ",
                                        TicketStates.UNBLOCKING.stream()
                                                .sorted()
                                                .toList())
                                + ", which clears the block");
            }
        } else if (!TicketStates.allowed(t.status(), to)) {
            throw new InvalidRequestException(
                    "invalid transition", "Invalid transition from " + t.status() + " to " + to + " (blocked=false)");
        }
        String phase = TicketStates.phaseOf(to);
        jdbc.sql("""
                update tickets set status = ?, previous_phase_id = phase_id, phase_id = ?, is_blocked = false,
                                   blocked_reason = null, blocked_at = null, updated_at = now()
                where id = ?""").params(to, phase, id).update();
        jdbc.sql("""
                insert into ticket_phase_history (tenant_id, ticket_id, from_phase, to_phase, from_status, to_status,
                                                  reason, transitioned_by)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(tenant.value(), id, t.phaseId(), phase, t.status(), to, reason, by)
                .update();
        return find(tenant, id, false);
    }

    /** Sets the overlay; a ticket already blocked or done is left as it is (the source project's no-op). */
    @Transactional
    TicketView block(TenantId tenant, String id, @Nullable String blockerType) {
        if (blockerType == null || !TicketStates.BLOCKERS.contains(blockerType)) {
            throw InvalidRequestException.field(
                    "blocker_type", "must be one of " + String.join(", ", TicketStates.BLOCKERS));
        }
        TicketView t = find(tenant, id, true);
        if (t.isBlocked() || "done".equals(t.status())) {
            return t;
        }
        jdbc.sql("update tickets set is_blocked = true, blocked_reason = ?, blocked_at = now(), updated_at = now()"
                        + " where id = ?")
                .params(blockerType, id)
                .update();
        return find(tenant, id, false);
    }

    /** Clears the overlay and leaves the status as it is. */
    @Transactional
    TicketView unblock(TenantId tenant, String id) {
        TicketView t = find(tenant, id, true);
        if (!t.isBlocked()) {
            throw new ConflictException("ticket not blocked", "Ticket " + id + " is not blocked");
        }
        jdbc.sql("update tickets set is_blocked = false, blocked_reason = null, blocked_at = null, updated_at = now()"
                        + " where id = ?")
                .param(id)
                .update();
        return find(tenant, id, false);
    }

    List<History> history(TenantId tenant, String id) {
        find(tenant, id, false);
        return jdbc.sql("""
                select id, from_phase, to_phase, from_status, to_status, reason, transitioned_by, created_at
                from ticket_phase_history where tenant_id = ? and ticket_id = ? order by id""")
                .params(tenant.value(), id)
                .query((rs, n) -> new History(
                        rs.getLong("id"),
                        rs.getString("from_phase"),
                        rs.getString("to_phase"),
                        rs.getString("from_status"),
                        rs.getString("to_status"),
                        rs.getString("reason"),
                        rs.getString("transitioned_by"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    record History(
            long id,
            @Nullable String fromPhase,
            String toPhase,
            @Nullable String fromStatus,
            @Nullable String toStatus,
            @Nullable String reason,
            @Nullable String by,
            java.time.Instant createdAt) {}

    private TicketView find(TenantId tenant, String id, boolean lock) {
        return jdbc.sql("select " + ProjectService.TICKET_COLUMNS + " from tickets where tenant_id = ? and id = ?"
                        + (lock ? " for update" : ""))
                .params(tenant.value(), id)
                .query(ProjectService::ticket)
                .optional()
                .orElseThrow(() -> new NotFoundException("ticket not found", "Ticket not found"));
    }
}
