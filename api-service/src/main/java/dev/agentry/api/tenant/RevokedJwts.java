package dev.agentry.api.tenant;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The denylist of logged-out JWTs, by {@code jti}, kept until each would have expired anyway. */
@Repository
public class RevokedJwts {

    private final JdbcClient jdbc;

    RevokedJwts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void revoke(String jti, Instant expiresAt) {
        jdbc.sql("delete from revoked_jwts where expires_at < now()").update();
        jdbc.sql("insert into revoked_jwts (jti, expires_at) values (?, ?) on conflict (jti) do nothing")
                .params(jti, Timestamp.from(expiresAt))
                .update();
    }

    public boolean isRevoked(String jti) {
        return jdbc.sql("select count(*) from revoked_jwts where jti = ?")
                        .param(jti)
                        .query(Integer.class)
                        .single()
                > 0;
    }
}
