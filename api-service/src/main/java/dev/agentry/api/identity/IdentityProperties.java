package dev.agentry.api.identity;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Sign-in settings, prefix {@code agentry.api.auth}.
 *
 * @param jwtKeys the HS256 key ring for the platform's JWTs, {@code kid:base64key} entries of at least 32 bytes,
 *     the first one signing, all of them verifying (rotate by putting a new key first and dropping the oldest
 *     once the token lifetime has passed); unset, a random key is made at start, so tokens die with the process
 *     and are not shared between API instances
 * @param tokenLifetime how long a login's access token lives ({@code expires_in})
 * @param issuer the {@code iss} claim written and required
 * @param loginAttemptsPerMinute login attempts per email per minute on one API instance; more are a 429
 */
@Validated
@ConfigurationProperties("agentry.api.auth")
public record IdentityProperties(
        @Nullable String jwtKeys,
        @DefaultValue("1h") Duration tokenLifetime,
        @DefaultValue("agentry") @NotBlank String issuer,
        @DefaultValue("10") @Min(1) int loginAttemptsPerMinute) {}
