package dev.agentry.api.stream;

import dev.agentry.api.support.SseThreads;
import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskLog;
import dev.agentry.api.task.TaskStatus;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.Credentials;
import dev.agentry.api.tenant.TenantId;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Runs one SSE stream of a task's log: subscribe live first, then the opening event, then the stored history after
 * the client's {@code Last-Event-ID}, then live entries, dropping any whose {@code seq} was already sent and reading
 * any gap from the database. An idle stream closes with {@code timeout}; one that falls too far behind with
 * {@code overflow} and the id to resume from; one whose credential stopped being valid with {@code unauthorized}.
 * Each stream runs on its own virtual thread, so a slow client blocks only itself, and a client that goes away
 * ends only its stream, never the work it watched. What the events look like is the {@link StreamFormat}'s.
 */
@Component
public class LogStreams {

    private final StreamHub hub;
    private final TaskLog taskLog;
    private final StreamProperties properties;
    private final Credentials credentials;

    LogStreams(StreamHub hub, TaskLog taskLog, StreamProperties properties, Credentials credentials) {
        this.hub = hub;
        this.taskLog = taskLog;
        this.properties = properties;
        this.credentials = credentials;
    }

    /** Opens the stream of the task's entries after {@code after}; {@code resumed} when the client resumes. */
    public SseEmitter open(TenantId tenant, UUID taskId, long after, boolean resumed, StreamFormat format) {
        SseEmitter emitter = new SseEmitter(0L);
        Caller caller = Credentials.current();
        StreamHub.Subscription subscription = hub.subscribe(taskId);
        SseThreads.start(
                emitter,
                "sse-" + taskId,
                "Stream of task " + taskId,
                () -> run(new Stream(emitter, subscription, tenant, taskId, caller, format), after, resumed),
                () -> hub.unsubscribe(subscription));
        return emitter;
    }

    private record Stream(
            SseEmitter emitter,
            StreamHub.Subscription subscription,
            TenantId tenant,
            UUID taskId,
            Caller caller,
            StreamFormat format) {}

    private void run(Stream s, long after, boolean resumed) throws IOException, InterruptedException {
        TaskStatus status = taskLog.status(s.tenant, s.taskId);
        StreamFormat format = s.format;
        format.opening(s.emitter, status, resumed);
        long sent = after;
        LoggedEvent last = null;
        for (LoggedEvent entry : taskLog.after(s.tenant, s.taskId, sent)) {
            format.entry(s.emitter, entry);
            sent = entry.seq();
            last = entry;
            if (format.ends(entry, true)) {
                format.done(s.emitter, entry, status);
                return;
            }
        }
        if (format.endsAfterHistory(status)) {
            format.done(s.emitter, null, status);
            return;
        }
        // The task may have ended between reading its status and reading its history: the live copy of the
        // history's last entry is then skipped as already sent, so that entry has to end the stream itself. Only
        // if the task really ended: an earlier iteration's result is also last while a follow-up waits to start.
        if (last != null && format.ends(last, false) && format.endsAfterHistory(taskLog.status(s.tenant, s.taskId))) {
            format.done(s.emitter, last, status);
            return;
        }
        long idleSince = System.nanoTime();
        long keepalive = properties.keepalive().toMillis();
        long checkedAt = System.nanoTime();
        while (true) {
            // A token revoked (or expired, or logged out) while its stream is open loses the stream too.
            if (System.nanoTime() - checkedAt >= properties.keepalive().toNanos()) {
                checkedAt = System.nanoTime();
                if (!credentials.stillValid(s.caller)) {
                    format.closing(s.emitter, "unauthorized", Map.of());
                    return;
                }
            }
            if (s.subscription.overflowed()) {
                format.closing(
                        s.emitter,
                        "overflow",
                        Map.of(
                                "message",
                                "The client fell too far behind; reconnect with Last-Event-ID.",
                                "last_event_id",
                                sent));
                return;
            }
            LoggedEvent entry = s.subscription.poll(keepalive);
            if (entry == null) {
                if (Duration.ofNanos(System.nanoTime() - idleSince).compareTo(properties.idleTimeout()) >= 0) {
                    format.closing(s.emitter, "timeout", Map.of("last_event_id", sent));
                    return;
                }
                s.emitter.send(SseEmitter.event().comment("keepalive"));
                continue;
            }
            idleSince = System.nanoTime();
            if (entry.seq() <= sent) {
                continue;
            }
            if (entry.seq() > sent + 1) {
                for (LoggedEvent missed : taskLog.after(s.tenant, s.taskId, sent)) {
                    if (missed.seq() < entry.seq()) {
                        format.entry(s.emitter, missed);
                        sent = missed.seq();
                        if (format.ends(missed, false)) {
                            format.done(s.emitter, missed, status);
                            return;
                        }
                    }
                }
            }
            format.entry(s.emitter, entry);
            sent = entry.seq();
            if (format.ends(entry, false)) {
                format.done(s.emitter, entry, status);
                return;
            }
        }
    }
}
