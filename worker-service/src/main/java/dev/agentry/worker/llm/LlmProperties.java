package dev.agentry.worker.llm;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The conversation assistant's model runtime, under {@code agentry.worker.llm}. Every property is documented in the
 * README.
 *
 * @param enabled whether this worker takes conversation turns at all
 * @param concurrency how many turns run at once: queue slots of their own, one share consumer each, in the worker's
 *     share group ({@code agentry.worker.share-group-id}, with its {@code lock-duration})
 * @param commandPartitions partitions of {@code agentry.conversation.commands} when the worker creates it
 * @param eventPartitions partitions of {@code agentry.conversation.events} when the worker creates it
 * @param maxRounds model calls per turn: a model still calling tools after this many fails the turn
 * @param maxTokens {@code max_tokens} of each model call
 * @param requestTimeout the timeout of one model call, the whole stream included
 * @param maxAttempts tries of one model call on a transient failure (429, 529, 5xx, I/O)
 * @param retryBackoff the pause before the second try, doubled for each one after
 * @param deltaInterval streamed text is published at least this often while it arrives...
 * @param deltaChars ...or as soon as this many characters are waiting
 * @param anthropic the Anthropic Messages API
 * @param openai the OpenAI-compatible chat-completions API
 */
@Validated
@ConfigurationProperties("agentry.worker.llm")
public record LlmProperties(
        boolean enabled,
        @Min(1) @Max(64) int concurrency,
        @Min(1) int commandPartitions,
        @Min(1) int eventPartitions,
        @Min(1) @Max(50) int maxRounds,
        @Min(1) int maxTokens,
        @NotNull Duration requestTimeout,
        @Min(1) @Max(10) int maxAttempts,
        @NotNull Duration retryBackoff,
        @NotNull Duration deltaInterval,
        @Min(1) int deltaChars,
        @Valid Provider anthropic,
        @Valid Provider openai) {

    public static final String ANTHROPIC_BASE_URL = "https://api.anthropic.com";
    public static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
    public static final String OPENAI_BASE_URL = "https://api.openai.com/v1";
    public static final String OPENAI_MODEL = "gpt-4.1-mini";

    public LlmProperties(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("4") int concurrency,
            @DefaultValue("1") int commandPartitions,
            @DefaultValue("8") int eventPartitions,
            @DefaultValue("8") int maxRounds,
            @DefaultValue("4096") int maxTokens,
            @DefaultValue("120s") Duration requestTimeout,
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("1s") Duration retryBackoff,
            @DefaultValue("50ms") Duration deltaInterval,
            @DefaultValue("200") int deltaChars,
            @DefaultValue Provider anthropic,
            @DefaultValue Provider openai) {
        this.enabled = enabled;
        this.concurrency = concurrency;
        this.commandPartitions = commandPartitions;
        this.eventPartitions = eventPartitions;
        this.maxRounds = maxRounds;
        this.maxTokens = maxTokens;
        this.requestTimeout = requestTimeout;
        this.maxAttempts = maxAttempts;
        this.retryBackoff = retryBackoff;
        this.deltaInterval = deltaInterval;
        this.deltaChars = deltaChars;
        this.anthropic = anthropic;
        this.openai = openai;
    }

    /**
     * One provider's defaults, used when a turn's model settings leave them out.
     *
     * @param baseUrl the API's base URL; blank means the vendor's own
     * @param apiKey the platform default key; blank means none (turns must then bring their own)
     * @param model the model when a turn names none; blank means the built-in default
     */
    public record Provider(
            @Nullable String baseUrl,
            @Nullable String apiKey,
            @Nullable String model) {

        @Override
        public String toString() {
            return "Provider[baseUrl=" + baseUrl + ", apiKey=" + (blank(apiKey) ? "" : "***") + ", model=" + model
                    + "]";
        }
    }

    static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
