package dev.agentry.scheduler.webhook;

import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A tenant's signing secrets, opened from {@code webhook_secrets}: the current one first, then the previous one while
 * its rotation window lasts. A tenant that never asked for one gets one generated here, so that every delivery is
 * signed; the tenant learns a secret by rotating it through the API (it is shown once).
 */
class SigningSecrets {

    private static final SecureRandom random = new SecureRandom();

    private final JdbcClient jdbc;
    private final SecretSealer sealer;

    SigningSecrets(JdbcClient jdbc, SecretSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    /** The secrets to sign with at {@code now}, current first. */
    List<String> active(String tenantId, Instant now) {
        Row row = find(tenantId).orElseGet(() -> create(tenantId, now));
        List<String> secrets = new ArrayList<>(2);
        secrets.add(sealer.open(new SealedSecret(row.current())));
        if (row.previous() != null
                && row.previousExpiresAt() != null
                && row.previousExpiresAt().isAfter(now)) {
            secrets.add(sealer.open(new SealedSecret(row.previous())));
        }
        return secrets;
    }

    /** A new {@code whsec_} secret: 32 random bytes, base64. */
    static String generate() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return WebhookSigner.PREFIX + Base64.getEncoder().encodeToString(key);
    }

    private record Row(
            String current,
            @Nullable String previous,
            @Nullable Instant previousExpiresAt) {}

    private Optional<Row> find(String tenantId) {
        return jdbc.sql("""
                        select secret_sealed, previous_secret_sealed, previous_expires_at
                          from webhook_secrets where tenant_id = ?""")
                .param(tenantId)
                .query((rs, n) -> {
                    OffsetDateTime expires = rs.getObject("previous_expires_at", OffsetDateTime.class);
                    return new Row(
                            rs.getString("secret_sealed"),
                            rs.getString("previous_secret_sealed"),
                            expires == null ? null : expires.toInstant());
                })
                .optional();
    }

    private Row create(String tenantId, Instant now) {
        jdbc.sql("""
                        insert into webhook_secrets (tenant_id, secret_sealed, created_at) values (?, ?, ?)
                        on conflict (tenant_id) do nothing""")
                .params(tenantId, sealer.seal(generate()).value(), now.atOffset(ZoneOffset.UTC))
                .update();
        return find(tenantId).orElseThrow();
    }
}
