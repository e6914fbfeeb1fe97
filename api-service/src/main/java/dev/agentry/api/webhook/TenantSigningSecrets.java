package dev.agentry.api.webhook;

import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.secret.SecretSealer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's webhook signing secret: {@code whsec_} + base64 of 32 random bytes, generated here, returned once (by
 * {@link #rotate}), stored only sealed. Rotating keeps the previous secret signing for the rotation window.
 */
@Service
class TenantSigningSecrets {

    private static final SecureRandom random = new SecureRandom();

    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final WebhookSettingsProperties settings;
    private final Clock clock = Clock.systemUTC();

    TenantSigningSecrets(JdbcClient jdbc, SecretSealer sealer, WebhookSettingsProperties settings) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.settings = settings;
    }

    /** What the API shows about a secret: never the secret. */
    record Metadata(Instant createdAt, @Nullable Instant previousExpiresAt, boolean rotating) {}

    /** The one response that carries the secret. */
    record Rotated(
            String secret, Instant createdAt, @Nullable Instant previousExpiresAt) {}

    Optional<Metadata> metadata(TenantId tenant) {
        Instant now = clock.instant();
        return jdbc.sql("select created_at, previous_expires_at from webhook_secrets where tenant_id = ?")
                .param(tenant.value())
                .query((rs, n) -> {
                    Instant created =
                            rs.getObject("created_at", OffsetDateTime.class).toInstant();
                    OffsetDateTime expires = rs.getObject("previous_expires_at", OffsetDateTime.class);
                    Instant previous =
                            expires == null || !expires.toInstant().isAfter(now) ? null : expires.toInstant();
                    return new Metadata(created, previous, previous != null);
                })
                .optional();
    }

    @Transactional
    Rotated rotate(TenantId tenant) {
        Instant now = clock.instant();
        String secret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes());
        String sealed = sealer.seal(secret).value();
        Instant previousExpires = settings.rotationWindow().isZero() ? null : now.plus(settings.rotationWindow());
        int rotated = jdbc.sql("""
                        update webhook_secrets
                           set previous_secret_sealed = case when :keep then secret_sealed end,
                               previous_expires_at = :expires,
                               secret_sealed = :sealed,
                               created_at = :now
                         where tenant_id = :tenant""")
                .param("keep", previousExpires != null)
                .param("expires", previousExpires == null ? null : utc(previousExpires))
                .param("sealed", sealed)
                .param("now", utc(now))
                .param("tenant", tenant.value())
                .update();
        if (rotated == 0) {
            jdbc.sql("""
                            insert into webhook_secrets (tenant_id, secret_sealed, created_at) values (?, ?, ?)
                            on conflict (tenant_id) do update
                               set secret_sealed = excluded.secret_sealed, created_at = excluded.created_at""").params(tenant.value(), sealed, utc(now)).update();
            return new Rotated(secret, now, null);
        }
        return new Rotated(secret, now, previousExpires);
    }

    private static byte[] randomBytes() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
