package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The spend of a project's tasks: the sum of their iterations' recorded cost. */
@Service
public class ProjectCosts {

    private final JdbcClient jdbc;

    ProjectCosts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public BigDecimal of(TenantId tenant, String projectId) {
        return jdbc.sql("""
                select coalesce(sum((i.usage ->> 'cost_usd')::numeric), 0)
                from task_iterations i join tasks t on t.id = i.task_id
                where t.tenant_id = ? and t.project_id = ? and i.usage ->> 'cost_usd' is not null""")
                .params(tenant.value(), projectId)
                .query(BigDecimal.class)
                .single();
    }
}
