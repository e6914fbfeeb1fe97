package dev.agentry.worker.conversation;

import dev.agentry.events.conversation.ModelSettings;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.worker.config.SecretsProperties;
import dev.agentry.worker.llm.LlmProperties;
import dev.agentry.worker.llm.LlmProperties.Provider;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Which endpoint, model and key a turn uses: the turn's own settings first, then this worker's
 * {@code agentry.worker.llm.<provider>.*}, then the vendor's defaults. A sealed key is opened with the key ring of
 * {@code agentry.secrets.sealing-keys}; the plaintext lives only in the returned value and the model call.
 */
@Component
class ModelAccess {

    private final LlmProperties properties;
    private final @Nullable SecretSealer sealer;

    ModelAccess(LlmProperties properties, SecretsProperties secrets) {
        this.properties = properties;
        String spec = secrets.sealingKeys();
        this.sealer = spec == null || spec.isBlank() ? null : SecretSealer.fromSpec(spec);
    }

    /** Where and how to call the model; the key is never shown by {@link #toString()}. */
    record Endpoint(String provider, String baseUrl, String model, String apiKey) {
        @Override
        public String toString() {
            return "Endpoint[provider=" + provider + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey=***]";
        }
    }

    /** @throws IllegalArgumentException naming what is missing or unusable, for an {@code invalid_command} */
    Endpoint resolve(ModelSettings settings) {
        String provider = settings.provider();
        Provider defaults;
        String vendorUrl;
        String vendorModel;
        switch (provider) {
            case ModelSettings.ANTHROPIC -> {
                defaults = properties.anthropic();
                vendorUrl = LlmProperties.ANTHROPIC_BASE_URL;
                vendorModel = LlmProperties.ANTHROPIC_MODEL;
            }
            case ModelSettings.OPENAI -> {
                defaults = properties.openai();
                vendorUrl = LlmProperties.OPENAI_BASE_URL;
                vendorModel = LlmProperties.OPENAI_MODEL;
            }
            default -> throw new IllegalArgumentException("Unknown model provider " + provider);
        }
        String key;
        if (settings.apiKey() != null) {
            if (sealer == null) {
                throw new IllegalArgumentException("The turn's API key is sealed and this worker has no sealing keys");
            }
            try {
                key = sealer.open(settings.apiKey());
            } catch (SecretUnavailableException e) {
                throw new IllegalArgumentException("The turn's API key cannot be opened: " + e.getMessage());
            }
        } else {
            key = defaults.apiKey();
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("No API key for provider " + provider
                    + ": the turn brings none and agentry.worker.llm." + provider + ".api-key is not set");
        }
        return new Endpoint(
                provider,
                first(settings.baseUrl(), defaults.baseUrl(), vendorUrl),
                first(settings.model(), defaults.model(), vendorModel),
                key);
    }

    private static String first(@Nullable String given, @Nullable String configured, String vendor) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        return configured != null && !configured.isBlank() ? configured : vendor;
    }
}
