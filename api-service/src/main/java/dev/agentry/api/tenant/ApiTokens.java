package dev.agentry.api.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens for machines, stored as SHA-256 hashes. Tokens are 256 random bits, so a fast hash is the right one
 * (a password KDF protects low-entropy secrets; it would only slow every request here).
 */
@Repository
public class ApiTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    ApiTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored token as listings show it: never the token itself. */
    public record Token(
            UUID id,
            String tenantId,
            String name,
            String role,
            boolean operator,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {}

    /** A token just made: the only moment its plaintext exists outside the client. */
    public record Issued(Token token, String secret) {}

    /** The caller a live (known, unrevoked, unexpired) token stands for. */
    public Optional<Caller> authenticate(String token) {
        return jdbc.sql("""
                select id, tenant_id, role, operator, expires_at from api_tokens
                where token_hash = ? and revoked_at is null and (expires_at is null or expires_at > now())""")
                .param(hash(token))
                .query((rs, n) -> new Caller(
                        new TenantId(rs.getString("tenant_id")),
                        Caller.Kind.API_TOKEN,
                        rs.getString("id"),
                        Role.fromWire(rs.getString("role")).orElse(Role.VIEWER),
                        rs.getBoolean("operator"),
                        rs.getString("id"),
                        instant(rs.getTimestamp("expires_at"))))
                .optional();
    }

    public Optional<TenantId> tenantOf(String token) {
        return authenticate(token).map(Caller::tenant);
    }

    public boolean isLive(String tokenId) {
        return jdbc.sql("""
                select count(*) from api_tokens
                where id = ?::uuid and revoked_at is null and (expires_at is null or expires_at > now())""").param(tokenId).query(Integer.class).single() > 0;
    }

    /** @param createdBy the user who makes the token, whom it then acts as ({@link CallerUsers}) */
    public Issued issue(TenantId tenant, String name, Role role, @Nullable Instant expiresAt, String createdBy) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "agt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into api_tokens (id, tenant_id, name, token_hash, role, expires_at, created_by)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        id,
                        tenant.value(),
                        name,
                        hash(secret),
                        role.wire(),
                        expiresAt == null ? null : Timestamp.from(expiresAt),
                        createdBy)
                .update();
        return new Issued(find(tenant, id).orElseThrow(), secret);
    }

    public Optional<Token> find(TenantId tenant, UUID id) {
        return jdbc.sql(SELECT + " where tenant_id = ? and id = ?")
                .params(tenant.value(), id)
                .query(ApiTokens::token)
                .optional();
    }

    public List<Token> list(TenantId tenant) {
        return jdbc.sql(SELECT + " where tenant_id = ? order by created_at, id")
                .param(tenant.value())
                .query(ApiTokens::token)
                .list();
    }

    /** Revokes the tenant's token; false if the tenant has no such token. */
    public boolean revoke(TenantId tenant, UUID id) {
        return jdbc.sql("update api_tokens set revoked_at = coalesce(revoked_at, now()) where tenant_id = ? and id = ?")
                        .params(tenant.value(), id)
                        .update()
                > 0;
    }

    /** Makes sure the tenant exists and the token maps to it as an admin; safe to call at every start. */
    @Transactional
    public void ensure(TenantId tenant, String name, String token) {
        ensure(tenant, name, token, false);
    }

    /** As {@link #ensure(TenantId, String, String)}; an operator token may also act for other tenants. */
    @Transactional
    public void ensure(TenantId tenant, String name, String token, boolean operator) {
        jdbc.sql("insert into tenants (id, name) values (?, ?) on conflict (id) do nothing")
                .params(tenant.value(), tenant.value())
                .update();
        jdbc.sql("""
                insert into api_tokens (id, tenant_id, name, token_hash, role, operator) values (?, ?, ?, ?, 'admin', ?)
                on conflict (token_hash) do update set operator = excluded.operator""")
                .params(UUID.randomUUID(), tenant.value(), name, hash(token), operator)
                .update();
    }

    private static final String SELECT =
            "select id, tenant_id, name, role, operator, created_at, expires_at, revoked_at from api_tokens";

    private static Token token(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Token(
                rs.getObject("id", UUID.class),
                rs.getString("tenant_id"),
                rs.getString("name"),
                rs.getString("role"),
                rs.getBoolean("operator"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("revoked_at")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
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
