package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.scheduler.webhook.Deliveries.NewDelivery;
import dev.agentry.scheduler.webhook.Deliveries.TaskRow;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a task event into a delivery when the task has a {@code callback_url} and its tenant takes that event type.
 * Idempotent: the delivery id is derived from the event id and type, and the insert ignores a second copy.
 */
class TaskEventIntake {

    private static final Logger log = LoggerFactory.getLogger(TaskEventIntake.class);

    private final Deliveries deliveries;
    private final WebhookDispatcher dispatcher;
    private final WebhookProperties settings;
    private final Clock clock;

    TaskEventIntake(Deliveries deliveries, WebhookDispatcher dispatcher, WebhookProperties settings, Clock clock) {
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.clock = clock;
    }

    void accept(Envelope<? extends TaskEvent> envelope) {
        Optional<String> type = WebhookPayloads.eventType(envelope.payload());
        if (type.isEmpty()) {
            return;
        }
        if (envelope.occurredAt().isBefore(clock.instant().minus(settings.maxEventAge()))) {
            log.debug(
                    "Not delivering {} {} of {}: older than {}.",
                    type.get(),
                    envelope.id(),
                    envelope.occurredAt(),
                    settings.maxEventAge());
            return;
        }
        // The envelope names the tenant, so an event type nobody subscribed to costs one key lookup, not the task's.
        List<String> wanted = deliveries.eventTypes(envelope.tenantId()).orElse(settings.defaultEventTypes());
        if (!wanted.contains(type.get())) {
            return;
        }
        TaskRow task =
                deliveries.task(envelope.aggregateId()).orElseThrow(() -> new TaskNotYetVisibleException(envelope));
        if (task.callbackUrl() == null || !task.tenantId().equals(envelope.tenantId())) {
            return;
        }
        NewDelivery delivery = new NewDelivery(
                deliveryId(envelope.id(), type.get()),
                task.tenantId(),
                envelope.aggregateId(),
                envelope.id(),
                type.get(),
                task.callbackUrl(),
                WebhookPayloads.body(envelope, task),
                task.traceId());
        Instant now = clock.instant();
        Optional<Instant> gone = deliveries.goneSince(task.tenantId(), task.callbackUrl());
        if (gone.isPresent() && task.createdAt().isBefore(gone.get())) {
            deliveries.insert(delivery, "dead", "Not sent: the endpoint answered 410 Gone at " + gone.get() + ".", now);
            return;
        }
        if (deliveries.insert(delivery, "pending", null, now)) {
            log.debug("Delivery {} created for {} of task {}.", delivery.id(), type.get(), envelope.aggregateId());
            dispatcher.dispatch(delivery.id());
        }
    }

    /** The webhook-id: the same for the same event whoever consumes it and however often. */
    static UUID deliveryId(UUID eventId, String type) {
        return UUID.nameUUIDFromBytes(("webhook:" + eventId + ":" + type).getBytes(StandardCharsets.UTF_8));
    }

    /** The event arrived before the API's tasks row is visible here; retried by the consumer's error handler. */
    static final class TaskNotYetVisibleException extends RuntimeException {

        TaskNotYetVisibleException(Envelope<?> envelope) {
            super("Task " + envelope.aggregateId() + " of event " + envelope.id() + " is not in the tasks table yet");
        }
    }
}
