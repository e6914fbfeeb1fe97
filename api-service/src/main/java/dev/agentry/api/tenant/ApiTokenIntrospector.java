package dev.agentry.api.tenant;

import java.util.List;
import java.util.Map;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/** Resolves an opaque bearer token to its tenant through the hashed tokens table. */
@Component
class ApiTokenIntrospector implements OpaqueTokenIntrospector {

    static final String TENANT_ATTRIBUTE = "tenant_id";

    private final ApiTokens tokens;

    ApiTokenIntrospector(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        TenantId tenant = tokens.tenantOf(token).orElseThrow(() -> new BadOpaqueTokenException("unknown token"));
        return new DefaultOAuth2AuthenticatedPrincipal(
                tenant.value(),
                Map.of(TENANT_ATTRIBUTE, tenant.value()),
                List.of(new SimpleGrantedAuthority("ROLE_TENANT")));
    }
}
