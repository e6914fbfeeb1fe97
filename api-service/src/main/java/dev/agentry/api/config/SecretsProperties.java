package dev.agentry.api.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param sealingKeys the AES-GCM key ring, {@code id:base64key} entries, the first one current (shared with workers)
 */
@Validated
@ConfigurationProperties("agentry.secrets")
public record SecretsProperties(@NotBlank String sealingKeys) {}
