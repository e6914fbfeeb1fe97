package dev.agentry.api.conversation;

import dev.agentry.api.key.ProviderKeys;
import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.ConversationState;
import dev.agentry.events.conversation.ModelSettings;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.secret.SealedSecret;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Writes a turn's {@link RunTurn} to the outbox, in the caller's transaction: the history and state as they are
 * now, and the model settings of the deployment (with the tenant's vault key, if it has the configured one).
 */
@Component
class TurnCommands {

    private final Outbox outbox;
    private final ConversationMessages messages;
    private final ProviderKeys keys;
    private final ConversationProperties properties;
    private final @Nullable Tracer tracer;
    private final @Nullable Propagator propagator;

    TurnCommands(
            Outbox outbox,
            ConversationMessages messages,
            ProviderKeys keys,
            ConversationProperties properties,
            ObjectProvider<Tracer> tracer,
            ObjectProvider<Propagator> propagator) {
        this.outbox = outbox;
        this.messages = messages;
        this.keys = keys;
        this.properties = properties;
        this.tracer = tracer.getIfAvailable();
        this.propagator = propagator.getIfAvailable();
    }

    void send(Conversation c, UUID turnId, String trigger, @Nullable Instant scheduledFor) {
        RunTurn run = new RunTurn(
                turnId,
                c.userId(),
                trigger,
                scheduledFor,
                c.schedule() == null || RunTurn.TRIGGER_CHAT.equals(trigger)
                        ? null
                        : c.schedule().task(),
                messages.history(c.id(), properties.historyMessages(), properties.historyBytes()),
                new ConversationState(c.context(), c.step(), c.data(), c.pendingQuestion()),
                c.schedule(),
                model(new TenantId(c.tenantId())));
        outbox.append(Topics.CONVERSATION_COMMANDS, Envelope.of(c.id(), c.tenantId(), run), traceHeaders());
    }

    private ModelSettings model(TenantId tenant) {
        String keyName = properties.apiKeyName();
        SealedSecret key = keyName == null || keyName.isBlank()
                ? null
                : keys.sealedToken(tenant, keyName).orElse(null);
        return new ModelSettings(properties.provider(), properties.model(), properties.baseUrl(), key);
    }

    /** The request's trace context, so the worker's spans join the request's trace. */
    private Map<String, String> traceHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        Span span = tracer == null ? null : tracer.currentSpan();
        if (span != null && propagator != null) {
            propagator.inject(span.context(), headers, Map::put);
        }
        return headers;
    }
}
