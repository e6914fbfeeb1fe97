package dev.agentry.api.tenant;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenants of the platform; only platform operators list or create them. */
@Repository
public class Tenants {

    private final JdbcClient jdbc;

    Tenants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Tenant(String id, String name, Instant createdAt) {}

    public boolean exists(TenantId tenant) {
        return jdbc.sql("select count(*) from tenants where id = ?")
                        .param(tenant.value())
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** False if a tenant with that id exists already. */
    public boolean create(TenantId id, String name) {
        return jdbc.sql("insert into tenants (id, name) values (?, ?) on conflict (id) do nothing")
                        .params(id.value(), name)
                        .update()
                > 0;
    }

    public List<Tenant> list() {
        return jdbc.sql("select id, name, created_at from tenants order by created_at, id")
                .query((rs, n) -> new Tenant(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }
}
