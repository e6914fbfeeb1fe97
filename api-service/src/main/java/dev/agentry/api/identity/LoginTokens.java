package dev.agentry.api.identity;

import java.time.Instant;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/** Issues the access token of a login: a JWT naming the user, the tenant and a fresh {@code jti}. */
@Component
class LoginTokens {

    static final String TENANT_CLAIM = "tenant_id";

    private final JwtEncoder encoder;
    private final JwtKeyRing ring;
    private final IdentityProperties properties;

    LoginTokens(JwtEncoder encoder, JwtKeyRing ring, IdentityProperties properties) {
        this.encoder = encoder;
        this.ring = ring;
        this.properties = properties;
    }

    String issue(Users.User user) {
        Instant now = Instant.now();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256)
                .keyId(ring.current().getKeyID())
                .build();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(properties.issuer())
                .subject(user.id().toString())
                .id(UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(properties.tokenLifetime()))
                .claim(TENANT_CLAIM, user.tenantId())
                .claim("role", user.role().wire())
                .build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    long lifetimeSeconds() {
        return properties.tokenLifetime().toSeconds();
    }
}
