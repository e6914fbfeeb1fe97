package dev.agentry.api.conversation;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Conversation settings, prefix {@code agentry.api.conversations}.
 *
 * @param turnWait how long {@code POST .../messages} waits for the assistant's reply before answering 202
 * @param provider the model provider of every turn ({@code anthropic} or {@code openai})
 * @param model the model name sent to the provider
 * @param baseUrl the provider API's base URL for the workers; null means the workers' own setting
 * @param apiKeyName a vault key ({@code /api/v1/keys}) whose token the turn uses when the tenant has one of this
 *     name; otherwise the workers' platform default key
 * @param historyMessages at most this many latest messages go to the model with each turn
 * @param historyBytes and at most this many bytes of them (the oldest are dropped first)
 * @param maxContentBytes the largest user message accepted, in UTF-8 bytes
 * @param projectionAttempts how often the projector and the firings consumer try a record that fails (not for a
 *     database outage, which they wait out) before they set it aside as a dead letter
 * @param staleTurnAfter a turn queued or running longer than this no longer holds back firings and run-now
 * @param projectorGroup the consumer group of the projector of {@code agentry.conversation.events}
 * @param firingsGroup the consumer group of the consumer of {@code agentry.schedule.firings}
 * @param processedEventsRetention how long the projector remembers an event it projected, to ignore it when Kafka
 *     delivers it again; a redelivery comes from offsets not yet committed (minutes), so a week is ample and
 *     matches Kafka's default retention, past which no event can come back at all
 * @param processedEventsPruneInterval how often the older ones are deleted
 */
@Validated
@ConfigurationProperties("agentry.api.conversations")
record ConversationProperties(
        @DefaultValue("60s") Duration turnWait,
        @DefaultValue("anthropic") @NotBlank String provider,
        @DefaultValue("claude-sonnet-4-5") @NotBlank String model,
        @Nullable String baseUrl,
        @Nullable String apiKeyName,
        @DefaultValue("100") @Min(1) int historyMessages,
        @DefaultValue("262144") @Min(1024) int historyBytes,
        @DefaultValue("102400") @Min(1) int maxContentBytes,
        @DefaultValue("3") @Min(1) int projectionAttempts,
        @DefaultValue("15m") Duration staleTurnAfter,
        @DefaultValue("agentry-api-conversations") String projectorGroup,
        @DefaultValue("agentry-api-schedule-firings") String firingsGroup,
        @DefaultValue("7d") Duration processedEventsRetention,
        @DefaultValue("1h") Duration processedEventsPruneInterval) {}
