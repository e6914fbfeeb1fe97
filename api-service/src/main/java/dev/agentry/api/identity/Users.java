package dev.agentry.api.identity;

import dev.agentry.api.tenant.Role;
import dev.agentry.api.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The people who sign in. Emails are stored lower-case and are unique across the platform. */
@Repository
class Users {

    private final JdbcClient jdbc;

    Users(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record User(
            UUID id, String tenantId, String email, String name, Role role, String passwordHash, Instant createdAt) {}

    private static final String SELECT =
            "select id, tenant_id, email, name, role, password_hash, created_at from users where disabled_at is null";

    Optional<User> byEmail(String email) {
        return jdbc.sql(SELECT + " and email = ?")
                .param(normalize(email))
                .query(Users::user)
                .optional();
    }

    Optional<User> find(TenantId tenant, UUID id) {
        return jdbc.sql(SELECT + " and tenant_id = ? and id = ?")
                .params(tenant.value(), id)
                .query(Users::user)
                .optional();
    }

    List<User> list(TenantId tenant) {
        return jdbc.sql(SELECT + " and tenant_id = ? order by created_at, id")
                .param(tenant.value())
                .query(Users::user)
                .list();
    }

    /** False if the email is taken. */
    boolean create(UUID id, TenantId tenant, String email, String name, Role role, String passwordHash) {
        return jdbc.sql("""
                insert into users (id, tenant_id, email, name, password_hash, role) values (?, ?, ?, ?, ?, ?)
                on conflict (email) do nothing""")
                        .params(id, tenant.value(), normalize(email), name, passwordHash, role.wire())
                        .update()
                > 0;
    }

    boolean disable(TenantId tenant, UUID id) {
        return jdbc.sql("update users set disabled_at = now() where tenant_id = ? and id = ? and disabled_at is null")
                        .params(tenant.value(), id)
                        .update()
                > 0;
    }

    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    private static User user(ResultSet rs, int n) throws SQLException {
        return new User(
                rs.getObject("id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("email"),
                rs.getString("name"),
                Role.fromWire(rs.getString("role")).orElse(Role.VIEWER),
                rs.getString("password_hash"),
                rs.getTimestamp("created_at").toInstant());
    }
}
