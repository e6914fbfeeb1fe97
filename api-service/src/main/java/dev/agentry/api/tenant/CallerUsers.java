package dev.agentry.api.tenant;

import dev.agentry.api.config.ApiProperties;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The user every credential acts as, for resources that belong to one user (conversations, notifications): a
 * JWT is its user; an API token acts as the user who created it; a token nobody made through the API (the
 * bootstrap token, tokens registered at start-up or made before tokens recorded their maker) acts as its tenant's
 * bootstrap admin, which is the {@code bootstrap-admin-email} user where that user exists, so signing in as the
 * admin and using the bootstrap token reach the same conversations.
 */
@Component
public class CallerUsers {

    private final JdbcClient jdbc;
    private final ApiProperties properties;

    CallerUsers(JdbcClient jdbc, ApiProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    public String userId(Caller caller) {
        if (caller.kind() == Caller.Kind.USER) {
            return caller.subject();
        }
        record Maker(String tenantId, @Nullable String createdBy) {}
        Maker maker = jdbc.sql("select tenant_id, created_by from api_tokens where id = ?::uuid")
                .param(caller.credentialId())
                .query((rs, n) -> new Maker(rs.getString("tenant_id"), rs.getString("created_by")))
                .optional()
                .orElse(new Maker(caller.tenant().value(), null));
        return maker.createdBy() != null ? maker.createdBy() : bootstrapAdmin(maker.tenantId());
    }

    private String bootstrapAdmin(String tenantId) {
        return jdbc.sql("select id::text from users where email = ? and tenant_id = ?")
                .params(properties.bootstrapAdminEmail().strip().toLowerCase(Locale.ROOT), tenantId)
                .query(String.class)
                .optional()
                .orElseGet(() -> UUID.nameUUIDFromBytes(
                                ("agentry:bootstrap-admin:" + tenantId).getBytes(StandardCharsets.UTF_8))
                        .toString());
    }
}
