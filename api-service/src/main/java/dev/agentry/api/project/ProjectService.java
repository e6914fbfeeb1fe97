package dev.agentry.api.project;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.project.ProjectViews.CreateProject;
import dev.agentry.api.project.ProjectViews.CreateTicket;
import dev.agentry.api.project.ProjectViews.GithubConnection;
import dev.agentry.api.project.ProjectViews.ProjectDetail;
import dev.agentry.api.project.ProjectViews.ProjectView;
import dev.agentry.api.project.ProjectViews.Stats;
import dev.agentry.api.project.ProjectViews.TicketView;
import dev.agentry.api.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Projects of a tenant and the tickets created in them; every query is scoped to the caller's tenant. */
@Service
class ProjectService {

    private static final String PROJECT_COLUMNS =
            "id, name, description, github_owner, github_repo, github_connected, default_phase_id, status, created_at";

    static final String TICKET_COLUMNS = "id, project_id, title, description, status, priority, phase_id,"
            + " previous_phase_id, is_blocked, blocked_reason, blocked_at, approval_status, created_at, updated_at";

    private final JdbcClient jdbc;
    private final ProjectActivity activity;

    ProjectService(JdbcClient jdbc, ProjectActivity activity) {
        this.jdbc = jdbc;
        this.activity = activity;
    }

    List<ProjectView> list(TenantId tenant) {
        return jdbc.sql("select " + PROJECT_COLUMNS
                        + " from projects where tenant_id = ? and status <> 'archived' order by created_at desc, id")
                .params(tenant.value())
                .query(ProjectService::project)
                .list();
    }

    @Transactional
    ProjectView create(TenantId tenant, @Nullable String createdBy, @Nullable CreateProject body) {
        if (body == null) {
            throw InvalidRequestException.field("body", "is required");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        String name = body.name() == null ? "" : body.name().strip();
        if (name.isEmpty()) {
            problems.put("name", "is required");
        } else if (name.length() > 255) {
            problems.put("name", "must be at most 255 characters");
        }
        String phase = body.defaultPhaseId() == null ? "PHASE_BACKLOG" : body.defaultPhaseId();
        if (!TicketStates.PHASES.contains(phase)) {
            problems.put("default_phase_id", "must be one of " + String.join(", ", TicketStates.PHASES));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        String id = "project-" + UUID.randomUUID();
        int inserted = jdbc.sql("""
                insert into projects (id, tenant_id, created_by, name, description, github_owner, github_repo,
                                      default_phase_id)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (tenant_id, name) do nothing""")
                .params(
                        id,
                        tenant.value(),
                        createdBy,
                        name,
                        body.description(),
                        blankToNull(body.githubOwner()),
                        blankToNull(body.githubRepo()),
                        phase)
                .update();
        if (inserted == 0) {
            throw new ConflictException("Project with this name already exists");
        }
        return find(tenant, id);
    }

    ProjectDetail get(TenantId tenant, String id) {
        ProjectView p = find(tenant, id);
        boolean connected = jdbc.sql("select github_connected from projects where id = ?")
                .param(id)
                .query(Boolean.class)
                .single();
        long tickets = count("select count(*) from tickets where tenant_id = ? and project_id = ?", tenant, id);
        long done = count(
                "select count(*) from tickets where tenant_id = ? and project_id = ? and status = 'done'", tenant, id);
        Stats stats = new Stats(tickets, done, activity.agents(tenant, id), activity.cost(tenant, id));
        return new ProjectDetail(
                p.id(),
                p.name(),
                p.description(),
                p.githubOwner(),
                p.githubRepo(),
                p.defaultPhaseId(),
                p.status(),
                p.createdAt(),
                new GithubConnection(p.githubOwner(), p.githubRepo(), connected ? "active" : "inactive"),
                stats);
    }

    /** Soft delete: the project is archived, its tickets stay. */
    @Transactional
    ProjectView archive(TenantId tenant, String id) {
        find(tenant, id);
        jdbc.sql("update projects set status = 'archived', updated_at = now() where tenant_id = ? and id = ?")
                .params(tenant.value(), id)
                .update();
        return find(tenant, id);
    }

    @Transactional
    TicketView createTicket(TenantId tenant, @Nullable String userId, String projectId, @Nullable CreateTicket body) {
        ProjectView project = find(tenant, projectId);
        if (body == null) {
            throw InvalidRequestException.field("body", "is required");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        String title = body.title() == null ? "" : body.title().strip();
        if (title.isEmpty()) {
            problems.put("title", "is required");
        } else if (title.length() > 500) {
            problems.put("title", "must be at most 500 characters");
        }
        String priority = body.priority() == null ? "MEDIUM" : body.priority();
        if (!TicketStates.PRIORITIES.contains(priority)) {
            problems.put("priority", "must be one of " + String.join(", ", TicketStates.PRIORITIES));
        }
        String phase = body.phaseId() == null ? project.defaultPhaseId() : body.phaseId();
        if (!TicketStates.PHASES.contains(phase)) {
            problems.put("phase_id", "must be one of " + String.join(", ", TicketStates.PHASES));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        if ("archived".equals(project.status())) {
            throw new ConflictException("Project " + projectId + " is archived");
        }
        String id = UUID.randomUUID().toString();
        jdbc.sql("""
                insert into tickets (id, tenant_id, project_id, user_id, title, description, phase_id, status, priority)
                values (?, ?, ?, ?, ?, ?, ?, 'backlog', ?)""")
                .params(id, tenant.value(), projectId, userId, title, body.description(), phase, priority)
                .update();
        jdbc.sql("""
                insert into ticket_phase_history (tenant_id, ticket_id, from_phase, to_phase, from_status, to_status,
                                                  reason, transitioned_by)
                values (?, ?, null, ?, null, 'backlog', 'created', ?)""").params(tenant.value(), id, phase, userId).update();
        return jdbc.sql("select " + TICKET_COLUMNS + " from tickets where id = ?")
                .param(id)
                .query(ProjectService::ticket)
                .single();
    }

    private ProjectView find(TenantId tenant, String id) {
        return jdbc.sql("select " + PROJECT_COLUMNS + " from projects where tenant_id = ? and id = ?")
                .params(tenant.value(), id)
                .query(ProjectService::project)
                .optional()
                .orElseThrow(() -> new NotFoundException("project not found", "No project " + id + "."));
    }

    private long count(String sql, TenantId tenant, String id) {
        return jdbc.sql(sql).params(tenant.value(), id).query(Long.class).single();
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static ProjectView project(ResultSet rs, int n) throws SQLException {
        return new ProjectView(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("github_owner"),
                rs.getString("github_repo"),
                rs.getString("default_phase_id"),
                rs.getString("status"),
                rs.getTimestamp("created_at").toInstant());
    }

    static TicketView ticket(ResultSet rs, int n) throws SQLException {
        var blockedAt = rs.getTimestamp("blocked_at");
        return new TicketView(
                rs.getString("id"),
                rs.getString("project_id"),
                rs.getString("title"),
                rs.getString("description"),
                rs.getString("status"),
                rs.getString("priority"),
                rs.getString("phase_id"),
                rs.getString("previous_phase_id"),
                rs.getBoolean("is_blocked"),
                rs.getString("blocked_reason"),
                blockedAt == null ? null : blockedAt.toInstant(),
                rs.getString("approval_status"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
