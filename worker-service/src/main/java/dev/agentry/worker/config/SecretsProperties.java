package dev.agentry.worker.config;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code agentry.secrets.*}, the same value in every service.
 *
 * @param sealingKeys the key ring of {@link dev.agentry.events.secret.SecretSealer#fromSpec(String)}; without it
 *     this worker cannot open sealed tokens and fails tasks that carry one
 */
@ConfigurationProperties("agentry.secrets")
public record SecretsProperties(@Nullable String sealingKeys) {

    @Override
    public String toString() {
        return "SecretsProperties[sealingKeys=***]";
    }
}
