package dev.agentry.api.key;

import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The keys vault (seed 004): a tenant's provider tokens, sealed with the {@link SecretSealer} key ring (AES-GCM)
 * before they reach the database. Tasks name a key with {@code provider_key}; its sealed token becomes the task's
 * access token as it is, so the plaintext never leaves the request that registered it.
 */
@Repository
public class ProviderKeys {

    private final JdbcClient jdbc;
    private final SecretSealer sealer;

    ProviderKeys(JdbcClient jdbc, SecretSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    record Key(String name, String provider, @Nullable String scope, Instant createdAt) {}

    /** False if the tenant has a key of that name already. */
    boolean register(TenantId tenant, String name, String provider, @Nullable String scope, String token) {
        return jdbc.sql("""
                insert into provider_keys (tenant_id, name, provider, scope, token_sealed) values (?, ?, ?, ?, ?)
                on conflict (tenant_id, name) do nothing""")
                        .params(
                                tenant.value(),
                                name,
                                provider,
                                scope,
                                sealer.seal(token).value())
                        .update()
                > 0;
    }

    List<Key> list(TenantId tenant) {
        return jdbc.sql("select name, provider, scope, created_at from provider_keys where tenant_id = ? order by name")
                .param(tenant.value())
                .query((rs, n) -> new Key(
                        rs.getString("name"),
                        rs.getString("provider"),
                        rs.getString("scope"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.sql("delete from provider_keys where tenant_id = ? and name = ?")
                        .params(tenant.value(), name)
                        .update()
                > 0;
    }

    /** The key's token, still sealed, for a task of the same tenant. */
    public Optional<SealedSecret> sealedToken(TenantId tenant, String name) {
        return jdbc.sql("select token_sealed from provider_keys where tenant_id = ? and name = ?")
                .params(tenant.value(), name)
                .query(String.class)
                .optional()
                .map(SealedSecret::new);
    }
}
