package dev.agentry.api.stream;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.task.TaskLog;
import dev.agentry.api.tenant.TenantId;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /api/v1/tasks/{id}/stream}: seed 004's SSE stream, resumable with {@code Last-Event-ID}. */
@RestController
class TaskStreamController {

    private final TaskLog tasks;
    private final TaskStreams streams;

    TaskStreamController(TaskLog tasks, TaskStreams streams) {
        this.tasks = tasks;
        this.streams = streams;
    }

    @GetMapping(path = "/api/v1/tasks/{taskId}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(
            TenantId tenant,
            @PathVariable UUID taskId,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
            @RequestParam(name = "last_event_id", required = false) @Nullable String lastEventIdParam) {
        tasks.status(tenant, taskId);
        return streams.open(tenant, taskId, after(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam));
    }

    private static long after(@Nullable String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            long seq = Long.parseLong(lastEventId.strip());
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(Map.of("Last-Event-ID", "must be the id of an event of this stream"));
        }
    }
}
