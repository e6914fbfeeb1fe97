package dev.agentry.api.project;

import dev.agentry.api.tenant.TenantId;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class JdbcTicketDirectory implements TicketDirectory {

    private final JdbcClient jdbc;

    JdbcTicketDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<TicketContext> find(TenantId tenant, String ticketId) {
        return jdbc.sql("""
                select t.id, t.project_id, t.phase_id, t.status, t.priority, p.default_branch, p.git_token_sealed,
                       coalesce(p.repository_url,
                                case when p.github_owner is not null and p.github_repo is not null
                                     then 'https://github.com/' || p.github_owner || '/' || p.github_repo || '.git'
                                end) as repository_url
                from tickets t join projects p on p.id = t.project_id
                where t.tenant_id = ? and t.id = ?""")
                .params(tenant.value(), ticketId)
                .query((rs, n) -> new TicketContext(
                        rs.getString("id"),
                        rs.getString("project_id"),
                        rs.getString("phase_id"),
                        rs.getString("status"),
                        rs.getString("priority"),
                        rs.getString("repository_url"),
                        rs.getString("default_branch"),
                        rs.getString("git_token_sealed")))
                .optional();
    }
}
