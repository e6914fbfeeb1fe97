package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskLog;
import dev.agentry.api.task.TaskStatus;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.Credentials;
import dev.agentry.api.tenant.TenantId;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one SSE stream: subscribe live first, then send {@code connected}, then the stored history after the
 * client's {@code Last-Event-ID}, then live entries, dropping any whose {@code seq} was already sent and reading
 * any gap from the database. Each data event carries {@code id: <seq>}. A terminal task gets {@code done} and the
 * connection closes; an idle one gets {@code timeout}; one that falls too far behind gets {@code overflow} with
 * the id to resume from. Each stream runs on its own virtual thread, so a slow client blocks only itself.
 */
@Component
class TaskStreams {

    private static final Logger log = LoggerFactory.getLogger(TaskStreams.class);

    private final StreamHub hub;
    private final TaskLog taskLog;
    private final JsonMapper json;
    private final StreamProperties properties;
    private final Credentials credentials;

    TaskStreams(StreamHub hub, TaskLog taskLog, JsonMapper json, StreamProperties properties, Credentials credentials) {
        this.hub = hub;
        this.taskLog = taskLog;
        this.json = json;
        this.properties = properties;
        this.credentials = credentials;
    }

    SseEmitter open(TenantId tenant, UUID taskId, long after) {
        SseEmitter emitter = new SseEmitter(0L);
        Caller caller = Credentials.current();
        StreamHub.Subscription subscription = hub.subscribe(taskId);
        Thread.ofVirtual().name("sse-" + taskId).start(() -> {
            try {
                run(emitter, subscription, tenant, taskId, after, caller);
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                log.debug("Stream of task {} ended by the client: {}", taskId, e.getMessage());
                emitter.completeWithError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } finally {
                hub.unsubscribe(subscription);
            }
        });
        return emitter;
    }

    private void run(
            SseEmitter emitter,
            StreamHub.Subscription subscription,
            TenantId tenant,
            UUID taskId,
            long after,
            Caller caller)
            throws IOException, InterruptedException {
        TaskStatus status = taskLog.status(tenant, taskId);
        emitter.send(SseEmitter.event()
                .name("connected")
                .data(
                        json.writeValueAsString(json.createObjectNode()
                                .put("task_id", taskId.toString())
                                .put("status", status.wire())),
                        MediaType.APPLICATION_JSON));
        long sent = after;
        LoggedEvent last = null;
        for (LoggedEvent entry : taskLog.after(tenant, taskId, sent)) {
            send(emitter, entry);
            sent = entry.seq();
            last = entry;
        }
        if (status.terminal()) {
            done(emitter, status.wire());
            return;
        }
        // The task may have ended between reading its status and reading its history: its live entry is then
        // already sent (and skipped below), so the history's own last entry has to end the stream.
        if (last != null && last.ends()) {
            done(emitter, last.data().path("status").asString());
            return;
        }
        long idleSince = System.nanoTime();
        long keepalive = properties.keepalive().toMillis();
        long checkedAt = System.nanoTime();
        while (true) {
            // A token revoked (or expired, or logged out) while its stream is open loses the stream too.
            if (System.nanoTime() - checkedAt >= properties.keepalive().toNanos()) {
                checkedAt = System.nanoTime();
                if (!credentials.stillValid(caller)) {
                    emitter.send(SseEmitter.event().name("unauthorized").data("{}", MediaType.APPLICATION_JSON));
                    return;
                }
            }
            if (subscription.overflowed()) {
                emitter.send(SseEmitter.event()
                        .name("overflow")
                        .data(json.writeValueAsString(json.createObjectNode()
                                .put("message", "The client fell too far behind; reconnect with Last-Event-ID.")
                                .put("last_event_id", sent))));
                return;
            }
            LoggedEvent entry = subscription.poll(keepalive);
            if (entry == null) {
                if (Duration.ofNanos(System.nanoTime() - idleSince).compareTo(properties.idleTimeout()) >= 0) {
                    emitter.send(SseEmitter.event().name("timeout").data("{}", MediaType.APPLICATION_JSON));
                    return;
                }
                emitter.send(SseEmitter.event().comment("keepalive"));
                continue;
            }
            idleSince = System.nanoTime();
            if (entry.seq() <= sent) {
                continue;
            }
            if (entry.seq() > sent + 1) {
                for (LoggedEvent missed : taskLog.after(tenant, taskId, sent)) {
                    if (missed.seq() < entry.seq()) {
                        send(emitter, missed);
                        sent = missed.seq();
                    }
                }
            }
            send(emitter, entry);
            sent = entry.seq();
            if (entry.ends()) {
                done(emitter, entry.data().path("status").asString());
                return;
            }
        }
    }

    private void send(SseEmitter emitter, LoggedEvent entry) throws IOException {
        ObjectNode data = json.createObjectNode().put("type", entry.type()).put("event", entry.event());
        data.set("data", entry.data());
        data.put("ts", entry.ts());
        emitter.send(SseEmitter.event()
                .id(Long.toString(entry.seq()))
                .data(json.writeValueAsString(data), MediaType.APPLICATION_JSON));
    }

    private void done(SseEmitter emitter, String status) throws IOException {
        emitter.send(SseEmitter.event()
                .name("done")
                .data(
                        json.writeValueAsString(json.createObjectNode().put("status", status)),
                        MediaType.APPLICATION_JSON));
    }
}
