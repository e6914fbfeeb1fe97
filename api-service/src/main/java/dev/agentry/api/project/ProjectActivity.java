package dev.agentry.api.project;

import dev.agentry.api.tenant.TenantId;
import java.math.BigDecimal;

/** What a project's agents and tasks add up to, for its {@code stats}: owned by the features that hold those rows. */
public interface ProjectActivity {

    /** Agents registered for the project and not terminated. */
    long agents(TenantId tenant, String projectId);

    /** What the project's tasks cost so far, in USD, from their iterations' recorded usage. */
    BigDecimal cost(TenantId tenant, String projectId);
}
