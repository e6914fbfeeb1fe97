package dev.agentry.api.tenant;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether a caller's credential still holds: not expired, not logged out, not revoked. Long-lived connections
 * (SSE streams) ask again while they run, so a revoked token loses its open streams too.
 */
@Component
public class Credentials {

    private final ApiTokens tokens;
    private final RevokedJwts revokedJwts;
    private final JdbcClient jdbc;

    Credentials(ApiTokens tokens, RevokedJwts revokedJwts, JdbcClient jdbc) {
        this.tokens = tokens;
        this.revokedJwts = revokedJwts;
        this.jdbc = jdbc;
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
            case USER -> !revokedJwts.isRevoked(caller.credentialId()) && userActive(caller);
        };
    }

    private boolean userActive(Caller caller) {
        return jdbc.sql("select count(*) from users where id = ? and tenant_id = ? and disabled_at is null")
                        .params(
                                UUID.fromString(caller.subject()),
                                caller.tenant().value())
                        .query(Integer.class)
                        .single()
                > 0;
    }
}
