package dev.agentry.worker.llm;

import dev.agentry.events.conversation.ModelSettings;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The model clients by provider name ({@code anthropic}, {@code openai}), each call retried on transient failures
 * with exponential backoff, as long as no text of the failed try has been streamed to the caller yet (a retry
 * then would repeat it).
 */
@Component
public class ChatModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChatModels.class);

    /** Distinct (endpoint, key) pairs whose client a provider keeps: one per tenant key in use, roughly. */
    private static final int CLIENTS_PER_PROVIDER = 32;

    private final Map<String, ChatModel> models;
    private final LlmProperties properties;

    ChatModels(LlmProperties properties) {
        this.properties = properties;
        this.models = Map.of(
                ModelSettings.ANTHROPIC,
                new AnthropicChatModel(properties.requestTimeout(), CLIENTS_PER_PROVIDER),
                ModelSettings.OPENAI,
                new OpenAiChatModel(properties.requestTimeout(), CLIENTS_PER_PROVIDER));
    }

    /** Called by the container when the worker stops. */
    @Override
    public void close() {
        models.values().forEach(ChatModel::close);
    }

    public boolean knows(String provider) {
        return models.containsKey(provider);
    }

    /** Calls the provider's model, retrying transient failures; the last failure is thrown. */
    public ModelResponse complete(String provider, ModelRequest request, Consumer<String> text) {
        ChatModel model = models.get(provider);
        if (model == null) {
            throw new IllegalArgumentException("Unknown model provider " + provider);
        }
        AtomicBoolean streamed = new AtomicBoolean();
        Retry retry = Retry.of(
                "llm-" + provider,
                RetryConfig.custom()
                        .maxAttempts(properties.maxAttempts())
                        .intervalFunction(IntervalFunction.ofExponentialBackoff(properties.retryBackoff(), 2.0))
                        .retryOnException(e ->
                                e instanceof ModelException failure && failure.transientFailure() && !streamed.get())
                        .build());
        retry.getEventPublisher()
                .onRetry(event -> log.warn(
                        "Model call to {} failed ({}); try {} of {} in {} ms.",
                        provider,
                        event.getLastThrowable() == null
                                ? "unknown"
                                : event.getLastThrowable().getMessage(),
                        event.getNumberOfRetryAttempts() + 1,
                        properties.maxAttempts(),
                        event.getWaitInterval().toMillis()));
        return retry.executeSupplier(() -> model.complete(request, delta -> {
            if (!delta.isEmpty()) {
                streamed.set(true);
                text.accept(delta);
            }
        }));
    }
}
