package dev.agentry.api.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.CallerAuthentication;
import dev.agentry.api.tenant.RevokedJwts;
import dev.agentry.api.tenant.TenantId;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * The platform's own JWTs (Spring Security's Nimbus support): HS256 with a key ring, the signing key named in the
 * {@code kid} header. Only HS256 is accepted, so {@code alg: none} and algorithm-confusion tokens fail, as do
 * expired ones, others' issuers, logged-out ones (the {@code jti} denylist) and those of disabled users. The
 * role is read from the user row on every request, so a demotion takes effect at once.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdentityProperties.class)
class IdentityConfig {

    private static final Logger log = LoggerFactory.getLogger(IdentityConfig.class);

    @Bean
    JwtKeyRing jwtKeyRing(IdentityProperties properties) {
        JwtKeyRing ring = JwtKeyRing.fromSpec(properties.jwtKeys());
        if (ring.generated()) {
            log.warn("No agentry.api.auth.jwt-keys set: login tokens are signed with a key made at start, so they "
                    + "end with this process and are not valid on other API instances.");
        }
        return ring;
    }

    @Bean
    JwtEncoder jwtEncoder(JwtKeyRing ring) {
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new com.nimbusds.jose.jwk.JWKSet(ring.current())));
    }

    @Bean
    JwtDecoder jwtDecoder(JwtKeyRing ring, IdentityProperties properties) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, new ImmutableJWKSet<>(ring.all())));
        // Spring's validators below check the claims, so the errors are theirs.
        processor.setJWTClaimsSetVerifier((claims, context) -> {});
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        OAuth2TokenValidator<Jwt> required = jwt -> jwt.getId() == null
                        || jwt.getSubject() == null
                        || jwt.getExpiresAt() == null
                        || jwt.getClaimAsString(LoginTokens.TENANT_CLAIM) == null
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "missing claims", null))
                : OAuth2TokenValidatorResult.success();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer()), required));
        return decoder;
    }

    @Bean
    JwtAuthenticationProvider userJwtAuthentication(JwtDecoder decoder, Users users, RevokedJwts revoked) {
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(jwt -> {
            if (revoked.isRevoked(jwt.getId())) {
                throw new InvalidBearerTokenException("This token was logged out.");
            }
            TenantId tenant = new TenantId(jwt.getClaimAsString(LoginTokens.TENANT_CLAIM));
            UUID userId;
            try {
                userId = UUID.fromString(jwt.getSubject());
            } catch (IllegalArgumentException e) {
                throw new InvalidBearerTokenException("This token names no user.");
            }
            Users.User user = users.find(tenant, userId)
                    .orElseThrow(() -> new InvalidBearerTokenException("This token's user is gone."));
            return new CallerAuthentication(new Caller(
                    tenant,
                    Caller.Kind.USER,
                    user.id().toString(),
                    user.role(),
                    false,
                    jwt.getId(),
                    jwt.getExpiresAt()));
        });
        return provider;
    }

    /**
     * PBKDF2-HMAC-SHA256 with Spring Security 5.8's defaults (310,000 iterations, 16-byte salt): OWASP's
     * recommendation, FIPS-approved, and in the JDK. Argon2id would be stronger against GPUs but needs
     * BouncyCastle; bcrypt truncates passwords at 72 bytes. The {@code {pbkdf2@SpringSecurity_v5_8}} prefix lets
     * a later encoder take over with rehash-on-login.
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        String id = "pbkdf2@SpringSecurity_v5_8";
        return new DelegatingPasswordEncoder(id, Map.of(id, Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
    }
}
