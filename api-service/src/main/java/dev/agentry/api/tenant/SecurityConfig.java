package dev.agentry.api.tenant;

import dev.agentry.api.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every endpoint needs a bearer token except liveness, readiness, metrics and the API docs. Tokens are opaque
 * and checked by {@link ApiTokenIntrospector} through Spring Security's resource-server support.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig implements WebMvcConfigurer {

    private static final String[] PUBLIC = {
        "/health", "/health/**", "/ready", "/metrics", "/api/docs", "/api/docs/**", "/swagger-ui/**", "/error"
    };

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokenIntrospector introspector, ProblemResponses problems)
            throws Exception {
        return http.authorizeHttpRequests(auth ->
                        auth.requestMatchers(PUBLIC).permitAll().anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth.bearerTokenResolver(SecurityConfig::bearerToken)
                        .opaqueToken(token -> token.introspector(introspector))
                        .authenticationEntryPoint((request, response, e) -> problems.write(
                                response,
                                HttpStatus.UNAUTHORIZED,
                                "unauthorized",
                                "A valid bearer token is required.",
                                true))
                        .accessDeniedHandler((request, response, e) -> problems.write(
                                response, HttpStatus.FORBIDDEN, "forbidden", "This token may not do that.", false)))
                .exceptionHandling(ex -> ex.authenticationEntryPoint((request, response, e) -> problems.write(
                        response, HttpStatus.UNAUTHORIZED, "unauthorized", "A valid bearer token is required.", true)))
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .build();
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
        boolean stream =
                "GET".equals(request.getMethod()) && request.getRequestURI().endsWith("/stream");
        return (stream ? HEADER_OR_QUERY : HEADER_ONLY).resolve(request);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new TenantArgumentResolver());
    }
}
