package dev.agentry.api.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access for browser clients, prefix {@code agentry.api.cors}. Off unless origins are listed: the
 * API authenticates with bearer tokens, never cookies, so credentials are never allowed cross-origin.
 *
 * @param allowedOrigins exact origins ({@code https://app.example.com}) or patterns ({@code https://*.example.com})
 * @param maxAge how long a browser may cache a preflight answer
 */
@ConfigurationProperties("agentry.api.cors")
public record CorsProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("1h") Duration maxAge) {}
