package dev.agentry.api.tenant;

import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Whether a caller's credential still holds: not expired, not logged out, not revoked. Long-lived connections
 * (SSE streams) ask again while they run, so a revoked token loses its open streams too.
 */
@Component
public class Credentials {

    private final ApiTokens tokens;
    private final RevokedJwts revokedJwts;

    Credentials(ApiTokens tokens, RevokedJwts revokedJwts) {
        this.tokens = tokens;
        this.revokedJwts = revokedJwts;
    }

    /** The caller of the current request. */
    public static Caller current() {
        return TenantArgumentResolver.current();
    }

    public boolean stillValid(Caller caller) {
        if (caller.expiresAt() != null && !caller.expiresAt().isAfter(Instant.now())) {
            return false;
        }
        return switch (caller.kind()) {
            case API_TOKEN -> tokens.isLive(caller.credentialId());
            case USER -> !revokedJwts.isRevoked(caller.credentialId());
        };
    }
}
