package dev.agentry.api.profile;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/profiles} and {@code PUT /api/v1/profiles/{name}}, snake_case on the wire. Every
 * member is nullable so that the validator, not the binder, names what is wrong.
 */
record ProfileRequest(
        @Nullable String name,
        @Nullable String description,
        @Nullable String runtime,
        @Nullable String model,
        @Nullable String systemPrompt,
        @Nullable List<@Nullable String> allowedTools,
        @Nullable Integer maxTurns,
        @Nullable Integer timeoutSeconds,
        @Nullable String repositoryUrl) {}
