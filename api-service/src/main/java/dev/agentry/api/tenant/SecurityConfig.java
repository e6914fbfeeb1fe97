package dev.agentry.api.tenant;

import dev.agentry.api.web.CorsProperties;
import dev.agentry.api.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every endpoint needs a bearer token except login, liveness, readiness, metrics and the API docs. A token that
 * looks like a JWT is decoded and verified as one of the platform's (signed with its key ring); any other token
 * is an opaque API token checked by {@link ApiTokenIntrospector}. Both become a {@link CallerAuthentication}
 * whose authorities are the role's permissions, and the rules below gate every write and administration on them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CorsProperties.class)
class SecurityConfig implements WebMvcConfigurer {

    private static final String[] PUBLIC = {
        "/health", "/health/**", "/ready", "/metrics", "/api/docs", "/api/docs/**", "/swagger-ui/**", "/error"
    };

    @Bean
    SecurityFilterChain apiSecurity(
            HttpSecurity http,
            ApiTokenIntrospector introspector,
            JwtAuthenticationProvider jwts,
            ApiTokens tokens,
            Tenants tenants,
            ProblemResponses problems,
            CorsProperties cors)
            throws Exception {
        OpaqueTokenAuthenticationProvider opaque = new OpaqueTokenAuthenticationProvider(introspector);
        opaque.setAuthenticationConverter((token, principal) -> new CallerAuthentication(
                (Caller) principal.getAttributes().get(ApiTokenIntrospector.CALLER_ATTRIBUTE)));
        AuthenticationManager byShape = authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            return looksLikeJwt(token) ? jwts.authenticate(authentication) : opaque.authenticate(authentication);
        };
        AuthenticationEntryPoint unauthorized = (request, response, e) -> problems.write(
                request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required.", true);
        AccessDeniedHandler forbidden = (request, response, e) -> problems.write(
                request, response, HttpStatus.FORBIDDEN, "forbidden", "This token's role may not do that.", false);
        if (cors.allowedOrigins().isEmpty()) {
            http.cors(AbstractHttpConfigurer::disable);
        } else {
            http.cors(c -> c.configurationSource(corsSource(cors)));
        }
        return http.authorizeHttpRequests(auth -> auth.requestMatchers(PUBLIC)
                        .permitAll()
                        .requestMatchers(HttpMethod.OPTIONS, "/**")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/login")
                        .permitAll()
                        .requestMatchers("/api/v1/auth/**")
                        .authenticated()
                        .requestMatchers("/api/v1/admin/**")
                        .hasAuthority(CallerAuthentication.OPERATOR)
                        .requestMatchers("/api/v1/users", "/api/v1/users/**")
                        .hasAuthority(Role.Permission.MANAGE_USERS.wire())
                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**")
                        .hasAuthority(Role.Permission.MANAGE_TOKENS.wire())
                        .requestMatchers(HttpMethod.GET, "/api/v1/quotas")
                        .hasAuthority(Role.Permission.VIEW_COSTS.wire())
                        .requestMatchers(HttpMethod.GET, "/**")
                        .hasAuthority(Role.Permission.VIEW_TASKS.wire())
                        .requestMatchers("/api/v1/keys", "/api/v1/keys/**")
                        .hasAuthority(Role.Permission.MANAGE_KEYS.wire())
                        .requestMatchers("/api/v1/mcp/**")
                        .hasAuthority(Role.Permission.MANAGE_MCP_SERVERS.wire())
                        // The webhook signing secret is shown once when rotated: an admin's, like the keys.
                        .requestMatchers("/api/v1/webhooks/secret/**")
                        .hasAuthority(Role.Permission.MANAGE_KEYS.wire())
                        .requestMatchers(HttpMethod.PUT, "/api/v1/webhooks/settings")
                        .hasAuthority(Role.Permission.MANAGE_KEYS.wire())
                        .requestMatchers("/api/v1/workspaces/**")
                        .hasAuthority(Role.Permission.MANAGE_WORKSPACES.wire())
                        // Seed 001's projects and tickets: writing them is its create_tickets permission.
                        .requestMatchers("/api/v1/projects", "/api/v1/projects/**", "/api/v1/tickets/**")
                        .hasAuthority(Role.Permission.CREATE_TICKETS.wire())
                        // Every other write (tasks, cancel, instruct, and features yet to come) needs a member.
                        .anyRequest()
                        .hasAuthority(Role.Permission.SPAWN_AGENTS.wire()))
                .oauth2ResourceServer(oauth -> oauth.bearerTokenResolver(SecurityConfig::bearerToken)
                        .authenticationManagerResolver(request -> byShape)
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .addFilterAfter(new TenantHeaderFilter(tenants, problems), BearerTokenAuthenticationFilter.class)
                .exceptionHandling(
                        ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .build();
    }

    /** Three dot-separated parts: a JWS (or an unsigned {@code alg: none} JWT, which the decoder refuses). */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    private static UrlBasedCorsConfigurationSource corsSource(CorsProperties properties) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(
                List.of("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID", "X-Tenant-ID"));
        cors.setExposedHeaders(List.of("Location", "Retry-After", "Idempotent-Replayed"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

    private static final DefaultBearerTokenResolver HEADER_ONLY = new DefaultBearerTokenResolver();
    private static final DefaultBearerTokenResolver HEADER_OR_QUERY = new DefaultBearerTokenResolver();

    static {
        HEADER_OR_QUERY.setAllowUriQueryParameter(true);
    }

    /**
     * The browser's EventSource cannot set headers, so the stream endpoint alone also takes {@code access_token}
     * as a query parameter; everywhere else a token in a URL is refused, as it would end up in logs.
     */
    private static String bearerToken(HttpServletRequest request) {
        if ("POST".equals(request.getMethod()) && request.getRequestURI().equals("/api/v1/auth/login")) {
            return null;
        }
        boolean stream =
                "GET".equals(request.getMethod()) && request.getRequestURI().endsWith("/stream");
        return (stream ? HEADER_OR_QUERY : HEADER_ONLY).resolve(request);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new TenantArgumentResolver());
    }
}
