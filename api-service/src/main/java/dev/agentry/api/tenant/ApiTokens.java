package dev.agentry.api.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Bearer tokens, stored as SHA-256 hashes. Tokens are random and long, so a fast hash is the right one. */
@Repository
public class ApiTokens {

    private final JdbcClient jdbc;

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<TenantId> tenantOf(String token) {
        return jdbc.sql("select tenant_id from api_tokens where token_hash = ? and revoked_at is null")
                .param(hash(token))
                .query(String.class)
                .optional()
                .map(TenantId::new);
    }

    /** Makes sure the tenant exists and the token maps to it; safe to call at every start. */
    @Transactional
    public void ensure(TenantId tenant, String name, String token) {
        jdbc.sql("insert into tenants (id, name) values (?, ?) on conflict (id) do nothing")
                .params(tenant.value(), tenant.value())
                .update();
        jdbc.sql("""
                insert into api_tokens (id, tenant_id, name, token_hash) values (?, ?, ?, ?)
                on conflict (token_hash) do nothing""")
                .params(UUID.randomUUID(), tenant.value(), name, hash(token))
                .update();
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
