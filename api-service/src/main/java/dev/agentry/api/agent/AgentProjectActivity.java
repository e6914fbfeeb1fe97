package dev.agentry.api.agent;

import dev.agentry.api.project.ProjectActivity;
import dev.agentry.api.task.ProjectCosts;
import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** A project's live agents (this feature's rows) and its tasks' spend (the task feature's). */
@Service
class AgentProjectActivity implements ProjectActivity {

    private final JdbcClient jdbc;
    private final ProjectCosts costs;

    AgentProjectActivity(JdbcClient jdbc, ProjectCosts costs) {
        this.jdbc = jdbc;
        this.costs = costs;
    }

    @Override
    public long agents(TenantId tenant, String projectId) {
        return jdbc.sql("""
                select count(*) from project_agents
                where tenant_id = ? and project_id = ? and status <> 'TERMINATED'""").params(tenant.value(), projectId).query(Long.class).single();
    }

    @Override
    public BigDecimal cost(TenantId tenant, String projectId) {
        return costs.of(tenant, projectId);
    }
}
