package dev.agentry.api.tenant;

import java.util.List;
import java.util.Map;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/**
 * Resolves an opaque bearer token (an API token) through the hashed tokens table; the principal carries the
 * {@link Caller}, which {@link SecurityConfig} turns into a {@link CallerAuthentication}.
 */
@Component
class ApiTokenIntrospector implements OpaqueTokenIntrospector {

    static final String CALLER_ATTRIBUTE = "agentry_caller";

    private final ApiTokens tokens;

    ApiTokenIntrospector(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        Caller caller = tokens.authenticate(token).orElseThrow(() -> new BadOpaqueTokenException("unknown token"));
        return new DefaultOAuth2AuthenticatedPrincipal(
                caller.subject(),
                Map.of(CALLER_ATTRIBUTE, caller, "tenant_id", caller.tenant().value()),
                List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
    }
}
