package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.webhook.WebhookEventTypes;
import dev.agentry.scheduler.webhook.CallbackTasks.TaskRow;
import dev.agentry.scheduler.webhook.Endpoints.Endpoint;
import dev.agentry.scheduler.webhook.Endpoints.GoneEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns task events into deliveries, a consumer batch at a time: one query for the batch's tasks, one for their
 * tenants' subscriptions, one for gone endpoints, one insert for the new deliveries, whose first attempts then start
 * at once. An event becomes a delivery for each of its webhook types that its task chose ({@code webhook_events}) or,
 * without a choice, that its tenant subscribes to, when the task has a {@code callback_url}. Idempotent: a delivery's
 * id is derived from the event id and the type, and a second copy of an event creates and sends nothing. An iteration
 * has one terminal webhook: a second terminal event of it (a cancel racing the worker's failure, the reaper racing a
 * late completion) creates nothing either ({@code terminal_key}).
 */
class TaskEventIntake {

    private static final Logger log = LoggerFactory.getLogger(TaskEventIntake.class);

    private final CallbackTasks tasks;
    private final Endpoints endpoints;
    private final Deliveries deliveries;
    private final WebhookDispatcher dispatcher;
    private final WebhookProperties settings;
    private final Clock clock;

    TaskEventIntake(
            CallbackTasks tasks,
            Endpoints endpoints,
            Deliveries deliveries,
            WebhookDispatcher dispatcher,
            WebhookProperties settings,
            Clock clock) {
        this.tasks = tasks;
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Creates and starts the deliveries of {@code events}, in order. If the task of an event is not in the tasks table
     * yet, the events before it are done and {@link TaskNotYetVisibleException} names its position, so the consumer
     * retries from there.
     */
    void accept(List<Envelope<? extends TaskEvent>> events) {
        Instant now = clock.instant();
        Instant oldest = now.minus(settings.maxEventAge());
        List<Envelope<? extends TaskEvent>> current = new ArrayList<>(events.size());
        for (Envelope<? extends TaskEvent> event : events) {
            if (event.occurredAt().isBefore(oldest)) {
                log.debug(
                        "Not delivering {} {} of {}: older than {}.",
                        event.type(),
                        event.id(),
                        event.occurredAt(),
                        settings.maxEventAge());
            } else if (!WebhookPayloads.eventTypes(event.payload()).isEmpty()) {
                current.add(event);
            }
        }
        if (current.isEmpty()) {
            return;
        }
        Map<UUID, TaskRow> rows =
                tasks.tasks(current.stream().map(Envelope::aggregateId).toList());
        Map<String, List<String>> subscriptions = tasks.eventTypes(
                current.stream().map(Envelope::tenantId).distinct().toList());
        List<NewDelivery> wanted = new ArrayList<>();
        Envelope<? extends TaskEvent> missing = null;
        for (Envelope<? extends TaskEvent> event : current) {
            TaskRow task = rows.get(event.aggregateId());
            if (task == null) {
                missing = event;
                break;
            }
            if (task.callbackUrl() == null || !task.tenantId().equals(event.tenantId())) {
                continue;
            }
            List<String> chosen = task.webhookEvents() != null
                    ? task.webhookEvents()
                    : subscriptions.getOrDefault(task.tenantId(), WebhookEventTypes.DEFAULT);
            for (String type : WebhookPayloads.eventTypes(event.payload())) {
                if (chosen.contains(type)) {
                    wanted.add(newDelivery(event, type, task, now));
                }
            }
        }
        start(wanted, now);
        if (missing != null) {
            throw new TaskNotYetVisibleException(missing);
        }
    }

    /**
     * Records {@code wanted} (dead at once where its endpoint was given up) and starts the first attempts of the new
     * ones. Shared with {@link ConversationNoticeIntake}.
     */
    void start(List<NewDelivery> wanted, Instant now) {
        if (wanted.isEmpty()) {
            return;
        }
        Set<Endpoint> wantedEndpoints = new LinkedHashSet<>();
        wanted.forEach(delivery -> wantedEndpoints.add(new Endpoint(delivery.tenantId(), delivery.url())));
        Map<Endpoint, GoneEndpoint> gone = endpoints.gone(wantedEndpoints);
        List<NewDelivery> live = new ArrayList<>(wanted.size());
        for (NewDelivery delivery : wanted) {
            GoneEndpoint givenUp = gone.get(new Endpoint(delivery.tenantId(), delivery.url()));
            if (givenUp != null && givenUp.covers(delivery.taskCreatedAt())) {
                deliveries.insertDead(delivery, givenUp.notSent(), now);
            } else {
                live.add(delivery);
            }
        }
        for (NewDelivery created : deliveries.insertClaimed(live, now, now.plus(settings.lease()))) {
            log.debug("Delivery {} created for {} of {}.", created.id(), created.eventType(), created.subjectId());
            dispatcher.dispatch(created.firstAttempt(now));
        }
    }

    private static NewDelivery newDelivery(
            Envelope<? extends TaskEvent> event, String type, TaskRow task, Instant now) {
        return new NewDelivery(
                deliveryId(event.id(), type),
                task.tenantId(),
                event.aggregateId(),
                event.id(),
                type,
                task.callbackUrl(),
                WebhookPayloads.body(event, type, task),
                task.traceId(),
                task.createdAt(),
                terminalKey(event.payload(), type));
    }

    /**
     * The one terminal slot a delivery takes for its task: {@code <iteration>:outcome} for completed and failed,
     * {@code <iteration>:iteration} for iteration-completed; null for the others, which have no such limit.
     */
    static @Nullable String terminalKey(TaskEvent event, String type) {
        return switch (type) {
            case WebhookEventTypes.COMPLETED, WebhookEventTypes.FAILED -> event.iteration() + ":outcome";
            case WebhookEventTypes.ITERATION_COMPLETED -> event.iteration() + ":iteration";
            default -> null;
        };
    }

    /** The webhook-id: the same for the same event whoever consumes it and however often. */
    static UUID deliveryId(UUID eventId, String type) {
        return UUID.nameUUIDFromBytes(("webhook:" + eventId + ":" + type).getBytes(StandardCharsets.UTF_8));
    }

    /** The event arrived before the API's tasks row is visible here; retried by the consumer's error handler. */
    static final class TaskNotYetVisibleException extends RuntimeException {

        private final UUID eventId;

        TaskNotYetVisibleException(Envelope<?> envelope) {
            super("Task " + envelope.aggregateId() + " of event " + envelope.id() + " is not in the tasks table yet");
            this.eventId = envelope.id();
        }

        UUID eventId() {
            return eventId;
        }
    }
}
