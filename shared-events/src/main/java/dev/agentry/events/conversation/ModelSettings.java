package dev.agentry.events.conversation;

import dev.agentry.events.secret.SealedSecret;
import org.jspecify.annotations.Nullable;

/**
 * Which model answers a turn.
 *
 * @param provider {@code anthropic} (Messages API) or {@code openai} (an OpenAI-compatible chat-completions API)
 * @param model the provider's model name
 * @param baseUrl the API's base URL; null means the worker's configured one for that provider
 * @param apiKey the provider key, sealed; null means the worker's platform default key for that provider
 */
public record ModelSettings(
        String provider,
        String model,
        @Nullable String baseUrl,
        @Nullable SealedSecret apiKey) {

    public static final String ANTHROPIC = "anthropic";
    public static final String OPENAI = "openai";
}
