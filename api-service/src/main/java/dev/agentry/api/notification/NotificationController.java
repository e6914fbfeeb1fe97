package dev.agentry.api.notification;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.owned.Owner;
import dev.agentry.api.owned.Owners;
import dev.agentry.api.owned.SeedJson;
import dev.agentry.api.tenant.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Seed 003's notification endpoints, for the caller's own notifications. */
@RestController
@RequestMapping(path = "/api/notifications", produces = MediaType.APPLICATION_JSON_VALUE)
class NotificationController {

    private final Notifications notifications;
    private final Owners owners;
    private final NotificationStreams streams;

    NotificationController(Notifications notifications, Owners owners, NotificationStreams streams) {
        this.notifications = notifications;
        this.owners = owners;
        this.streams = streams;
    }

    @SeedJson
    record NotificationView(
            UUID id,
            String userId,
            @Nullable UUID conversationId,
            String title,
            String body,
            boolean isRead,
            Instant createdAt) {

        static NotificationView of(Notifications.Notification n) {
            return new NotificationView(
                    n.id(), n.userId(), n.conversationId(), n.title(), n.body(), n.isRead(), n.createdAt());
        }
    }

    @SeedJson
    record NotificationList(List<NotificationView> notifications) {}

    @SeedJson
    record One(NotificationView notification) {}

    @SeedJson
    record Count(int count) {}

    @SeedJson
    record Patch(@Nullable Boolean isRead) {}

    /** {@code unread=true} lists only unread ones; any other value, or none, lists all (as the seed's source does). */
    @GetMapping
    NotificationList list(Caller caller, @RequestParam(required = false) @Nullable String unread) {
        return new NotificationList(notifications.list(owners.of(caller), "true".equals(unread)).stream()
                .map(NotificationView::of)
                .toList());
    }

    /**
     * The caller's new notifications, live (Server-Sent Events). With {@code Last-Event-ID} (the {@code id} of the
     * last event received), first those written after it: a reconnecting client misses none.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(
            Caller caller, @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        return streams.open(owners.of(caller), lastEventId(lastEventId));
    }

    private static @Nullable Long lastEventId(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long seq = Long.parseLong(header.strip());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("invalid request", "Last-Event-ID must be the id of a notification event");
    }

    @GetMapping("/unread/count")
    Count unreadCount(Caller caller) {
        return new Count(notifications.unreadCount(owners.of(caller)));
    }

    /** {@code isRead: true} marks it read; {@code false} changes nothing (there is no marking unread). */
    @PatchMapping("/{id}")
    @Transactional
    One patch(Caller caller, @PathVariable UUID id, @RequestBody(required = false) @Nullable Patch body) {
        if (body == null || body.isRead() == null) {
            throw new InvalidRequestException("invalid request", "isRead is required and must be a boolean");
        }
        Owner owner = owners.of(caller);
        notifications.get(owner, id);
        if (body.isRead()) {
            notifications.markRead(id);
        }
        return new One(NotificationView.of(notifications.get(owner, id)));
    }

    @PostMapping("/mark-all-read")
    Map<String, Boolean> markAllRead(Caller caller) {
        notifications.markAllRead(owners.of(caller));
        return Map.of("success", true);
    }

    @DeleteMapping("/{id}")
    @Transactional
    Map<String, Boolean> delete(Caller caller, @PathVariable UUID id) {
        notifications.get(owners.of(caller), id);
        notifications.delete(id);
        return Map.of("success", true);
    }
}
