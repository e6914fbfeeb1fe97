package dev.agentry.api.webhook;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.api.webhook.TenantSigningSecrets.Metadata;
import dev.agentry.api.webhook.TenantSigningSecrets.Rotated;
import dev.agentry.api.webhook.WebhookDeliveries.DeliveryView;
import dev.agentry.api.webhook.WebhookDeliveries.Page;
import dev.agentry.events.webhook.WebhookEventTypes;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Webhook deliveries (with every attempt), redelivery, the tenant's signing secret and event subscription. Another
 * tenant's delivery is not found (404).
 */
@RestController
@RequestMapping(path = "/api/v1/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhookController {

    static final Set<String> STATUSES = Set.of("pending", "sending", "succeeded", "dead");

    private final WebhookDeliveries deliveries;
    private final TenantSigningSecrets secrets;
    private final JdbcClient jdbc;

    WebhookController(WebhookDeliveries deliveries, TenantSigningSecrets secrets, JdbcClient jdbc) {
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.jdbc = jdbc;
    }

    @GetMapping("/deliveries")
    Page list(
            TenantId tenant,
            @RequestParam(name = "task_id", required = false) @Nullable UUID taskId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "20") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw InvalidRequestException.field("status", "must be one of pending, sending, succeeded, dead");
        }
        if (limit < 1 || limit > 100) {
            throw InvalidRequestException.field("limit", "must be between 1 and 100");
        }
        return deliveries.list(tenant, taskId, status, cursor, limit);
    }

    @GetMapping("/deliveries/{id}")
    DeliveryView get(TenantId tenant, @PathVariable UUID id) {
        return deliveries.find(tenant, id).orElseThrow(() -> notFound(id));
    }

    record RedeliveryAccepted(UUID id, String status, String message) {}

    /**
     * Sends the delivery again, soon (the scheduler's next sweep, about a second): the same body and webhook-id, a
     * new timestamp and signature. One attempt, no automatic retries after it.
     */
    @PostMapping("/deliveries/{id}/redeliver")
    ResponseEntity<RedeliveryAccepted> redeliver(TenantId tenant, @PathVariable UUID id) {
        if (!deliveries.requestRedelivery(tenant, id)) {
            throw notFound(id);
        }
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/webhooks/deliveries/" + id))
                .body(new RedeliveryAccepted(
                        id, "redelivery_requested", "Delivery " + id + " will be sent again shortly."));
    }

    @GetMapping("/secret")
    Metadata secret(TenantId tenant) {
        return secrets.metadata(tenant)
                .orElseThrow(() -> new NotFoundException(
                        "not found",
                        "No webhook signing secret yet; POST /api/v1/webhooks/secret/rotate creates one."));
    }

    /** A new signing secret, returned this once; the previous one keeps signing during the rotation window. */
    @PostMapping("/secret/rotate")
    ResponseEntity<Rotated> rotate(TenantId tenant) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .header("Cache-Control", "no-store")
                .body(secrets.rotate(tenant));
    }

    /**
     * @param url where the events that have no task of their own ({@code conversation.*}) go: a conversation has no
     *     {@code callback_url}. Null keeps it as it is; an empty string removes it
     */
    record EventSettings(
            @Nullable List<String> eventTypes, @Nullable String url) {}

    record EventSettingsView(
            List<String> eventTypes,
            List<String> available,
            @Nullable String url,
            @Nullable Instant updatedAt) {}

    private static final int MAX_URL_LENGTH = 2048;

    @GetMapping("/settings")
    EventSettingsView settings(TenantId tenant) {
        return jdbc.sql("select event_types, url, updated_at from webhook_settings where tenant_id = ?")
                .param(tenant.value())
                .query((rs, n) -> new EventSettingsView(
                        List.of((String[]) rs.getArray("event_types").getArray()),
                        WebhookEventTypes.SUBSCRIBABLE,
                        rs.getString("url"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class)
                                .toInstant()))
                .optional()
                .orElse(new EventSettingsView(WebhookEventTypes.DEFAULT, WebhookEventTypes.SUBSCRIBABLE, null, null));
    }

    @PutMapping(path = "/settings", consumes = MediaType.APPLICATION_JSON_VALUE)
    EventSettingsView updateSettings(TenantId tenant, @RequestBody(required = false) @Nullable EventSettings request) {
        if (request == null || request.eventTypes() == null) {
            throw InvalidRequestException.field("event_types", "is required");
        }
        if (request.eventTypes().stream().anyMatch(type -> type == null)) {
            throw InvalidRequestException.field("event_types", "must not contain null");
        }
        Set<String> types = new LinkedHashSet<>(request.eventTypes());
        if (!WebhookEventTypes.SUBSCRIBABLE.containsAll(types)) {
            throw InvalidRequestException.field(
                    "event_types", "may only contain " + String.join(", ", WebhookEventTypes.SUBSCRIBABLE));
        }
        String url = request.url() == null ? null : checkedUrl(request.url());
        jdbc.sql("""
                        insert into webhook_settings (tenant_id, event_types, url, updated_at)
                        values (?, ?, nullif(?::text, ''), now())
                        on conflict (tenant_id) do update
                           set event_types = excluded.event_types, updated_at = excluded.updated_at,
                               url = case when ?::text is null then webhook_settings.url else excluded.url end""")
                .params(tenant.value(), types.toArray(String[]::new), url, url)
                .update();
        return settings(tenant);
    }

    /** Absolute http(s), as a task's {@code callback_url}; the scheduler checks the address again at each attempt. */
    private static String checkedUrl(String value) {
        if (value.isEmpty()) {
            return value;
        }
        if (value.length() > MAX_URL_LENGTH) {
            throw InvalidRequestException.field("url", "must be at most " + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw InvalidRequestException.field("url", "must be an absolute http or https URL");
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("not found", "No webhook delivery " + id + ".");
    }
}
