package dev.agentry.api.tenant;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: a user signed in with a platform JWT, or a machine with an API token.
 *
 * @param subject the user id or the API token id
 * @param credentialId the JWT's {@code jti} or the API token id: what logout and revocation act on
 * @param operator a platform operator may act for another tenant with {@code X-Tenant-ID} and manage tenants
 */
public record Caller(
        TenantId tenant,
        Kind kind,
        String subject,
        Role role,
        boolean operator,
        String credentialId,
        @Nullable Instant expiresAt) {

    public enum Kind {
        USER,
        API_TOKEN
    }

    public Caller actingFor(TenantId other) {
        return new Caller(other, kind, subject, role, operator, credentialId, expiresAt);
    }
}
