package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.conversation.ConversationNotice;
import dev.agentry.scheduler.webhook.CallbackTasks.TenantEndpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the API's conversation notices ({@code conversation.message.created}, {@code conversation.waiting_input})
 * into deliveries to their tenant's own endpoint, when the tenant set one and subscribes to the type: one query for
 * the batch's tenants, then the same insert and first attempts as task deliveries, so they are signed, retried and
 * recorded alike. Idempotent like those: the delivery id comes from the event id and the type.
 */
class ConversationNoticeIntake {

    private final CallbackTasks subscriptions;
    private final TaskEventIntake deliveries;
    private final WebhookProperties settings;
    private final Clock clock;

    ConversationNoticeIntake(
            CallbackTasks subscriptions, TaskEventIntake deliveries, WebhookProperties settings, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.settings = settings;
        this.clock = clock;
    }

    void accept(List<Envelope<? extends ConversationNotice>> notices) {
        Instant now = clock.instant();
        Instant oldest = now.minus(settings.maxEventAge());
        List<Envelope<? extends ConversationNotice>> current = notices.stream()
                .filter(notice -> !notice.occurredAt().isBefore(oldest))
                .toList();
        if (current.isEmpty()) {
            return;
        }
        Map<String, TenantEndpoint> endpoints = subscriptions.tenantEndpoints(
                current.stream().map(Envelope::tenantId).distinct().toList());
        List<NewDelivery> wanted = new ArrayList<>();
        for (Envelope<? extends ConversationNotice> notice : current) {
            TenantEndpoint endpoint = endpoints.get(notice.tenantId());
            if (endpoint == null || !endpoint.eventTypes().contains(notice.type())) {
                continue;
            }
            wanted.add(new NewDelivery(
                    TaskEventIntake.deliveryId(notice.id(), notice.type()),
                    notice.tenantId(),
                    null,
                    notice.aggregateId(),
                    notice.id(),
                    notice.type(),
                    endpoint.url(),
                    WebhookPayloads.conversationBody(notice),
                    null,
                    notice.occurredAt(),
                    null));
        }
        deliveries.start(wanted, now);
    }
}
