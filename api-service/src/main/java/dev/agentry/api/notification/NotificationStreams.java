package dev.agentry.api.notification;

import dev.agentry.api.owned.Owner;
import dev.agentry.api.stream.StreamProperties;
import dev.agentry.api.support.SseThreads;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.Credentials;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one {@code GET /api/notifications/stream}: subscribe live first, then send {@code connected}, then the
 * user's notifications written after the client's {@code Last-Event-ID} (none without one: a fresh stream shows
 * what is new from now), then each new one as its transaction commits, as {@code event: notification} with
 * {@code id: <seq>} and the seed's notification object. What a stream may have missed (its queue overflowed, the
 * instance's signal connection was lost) it reads from the table. Idle streams get a keepalive comment; a stream
 * whose credential was revoked or expired gets {@code unauthorized} and closes. Each stream runs on its own virtual
 * thread, so a slow client blocks only itself.
 */
@Component
class NotificationStreams {

    private static final int PAGE = 500;
    /** Sequence numbers sent lately, so a notification read from the table and also signalled goes out once. */
    private static final int REMEMBERED = 4096;

    private final NotificationHub hub;
    private final Notifications notifications;
    private final JsonMapper json;
    private final StreamProperties properties;
    private final Credentials credentials;

    NotificationStreams(
            NotificationHub hub,
            Notifications notifications,
            JsonMapper json,
            StreamProperties properties,
            Credentials credentials) {
        this.hub = hub;
        this.notifications = notifications;
        this.json = json;
        this.properties = properties;
        this.credentials = credentials;
    }

    SseEmitter open(Owner owner, @Nullable Long lastEventId) {
        SseEmitter emitter = new SseEmitter(0L);
        Caller caller = Credentials.current();
        NotificationHub.Subscription subscription = hub.subscribe(owner.tenant().value(), owner.userId());
        SseThreads.start(
                emitter,
                "sse-notifications",
                "A notification stream",
                () -> new Run(emitter, subscription, owner).run(lastEventId, caller),
                () -> hub.unsubscribe(subscription));
        return emitter;
    }

    /** One stream's state: how far it has read the table, and what it sent lately. */
    private final class Run {

        private final SseEmitter emitter;
        private final NotificationHub.Subscription subscription;
        private final Owner owner;
        private final SequencedSet<Long> sent = new LinkedHashSet<>();
        private long readUpTo;

        Run(SseEmitter emitter, NotificationHub.Subscription subscription, Owner owner) {
            this.emitter = emitter;
            this.subscription = subscription;
            this.owner = owner;
        }

        void run(@Nullable Long lastEventId, Caller caller) throws IOException, InterruptedException {
            readUpTo = lastEventId != null ? lastEventId : notifications.latestSeq(owner);
            emitter.send(SseEmitter.event()
                    .name("connected")
                    .data(
                            json.writeValueAsString(json.createObjectNode()
                                    .put("unreadCount", notifications.unreadCount(owner))
                                    .put("lastEventId", readUpTo)),
                            MediaType.APPLICATION_JSON));
            catchUp();
            long keepalive = properties.keepalive().toMillis();
            long checkedAt = System.nanoTime();
            while (true) {
                if (System.nanoTime() - checkedAt >= properties.keepalive().toNanos()) {
                    checkedAt = System.nanoTime();
                    if (!credentials.stillValid(caller)) {
                        emitter.send(SseEmitter.event().name("unauthorized").data("{}", MediaType.APPLICATION_JSON));
                        return;
                    }
                }
                if (subscription.takeResync()) {
                    catchUp();
                }
                UUID id = subscription.poll(keepalive);
                if (id == null) {
                    emitter.send(SseEmitter.event().comment("keepalive"));
                    continue;
                }
                var notification = notifications.find(id);
                if (notification.isPresent()) {
                    send(notification.get());
                }
            }
        }

        /** Sends what the table holds after {@code readUpTo} and was not sent yet. */
        private void catchUp() throws IOException {
            List<Notifications.Notification> page;
            do {
                page = notifications.after(owner, readUpTo, PAGE);
                for (Notifications.Notification notification : page) {
                    send(notification);
                    readUpTo = notification.seq();
                }
            } while (page.size() == PAGE);
        }

        private void send(Notifications.Notification notification) throws IOException {
            if (!sent.add(notification.seq())) {
                return;
            }
            if (sent.size() > REMEMBERED) {
                sent.removeFirst();
            }
            emitter.send(SseEmitter.event()
                    .id(Long.toString(notification.seq()))
                    .name("notification")
                    .data(
                            json.writeValueAsString(NotificationController.NotificationView.of(notification)),
                            MediaType.APPLICATION_JSON));
        }
    }
}
