package dev.agentry.api.tenant;

import dev.agentry.api.web.ProblemResponses;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
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
                .oauth2ResourceServer(oauth -> oauth.opaqueToken(token -> token.introspector(introspector))
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

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new TenantArgumentResolver());
    }
}
