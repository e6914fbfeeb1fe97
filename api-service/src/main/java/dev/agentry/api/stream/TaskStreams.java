package dev.agentry.api.stream;

import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskStatus;
import dev.agentry.api.tenant.TenantId;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed 004's task stream: {@code connected}, then each log entry as {@code {type, event, data, ts}} with
 * {@code id: <seq>}; a terminal task gets {@code done} and the connection closes; an early close is a named event
 * ({@code timeout}, {@code overflow} with the id to resume from, {@code unauthorized}).
 */
@Component
class TaskStreams {

    private final LogStreams streams;
    private final JsonMapper json;

    TaskStreams(LogStreams streams, JsonMapper json) {
        this.streams = streams;
        this.json = json;
    }

    SseEmitter open(TenantId tenant, UUID taskId, long after) {
        return streams.open(tenant, taskId, after, after > 0, new Format(taskId));
    }

    private final class Format implements StreamFormat {

        private final UUID taskId;

        private Format(UUID taskId) {
            this.taskId = taskId;
        }

        @Override
        public void opening(SseEmitter emitter, TaskStatus status, boolean resumed) throws IOException {
            emitter.send(SseEmitter.event()
                    .name("connected")
                    .data(
                            json.writeValueAsString(json.createObjectNode()
                                    .put("task_id", taskId.toString())
                                    .put("status", status.wire())),
                            MediaType.APPLICATION_JSON));
        }

        @Override
        public void entry(SseEmitter emitter, LoggedEvent entry) throws IOException {
            ObjectNode data = json.createObjectNode().put("type", entry.type()).put("event", entry.event());
            data.set("data", entry.data());
            data.put("ts", entry.ts());
            emitter.send(SseEmitter.event()
                    .id(Long.toString(entry.seq()))
                    .data(json.writeValueAsString(data), MediaType.APPLICATION_JSON));
        }

        /** History may hold earlier iterations' results; only the task's status says whether it has ended. */
        @Override
        public boolean ends(LoggedEvent entry, boolean replayed) {
            return !replayed && entry.ends();
        }

        @Override
        public boolean endsAfterHistory(TaskStatus status) {
            return status.terminal();
        }

        @Override
        public void done(SseEmitter emitter, @Nullable LoggedEvent last, TaskStatus status) throws IOException {
            String wire =
                    last == null ? status.wire() : last.data().path("status").asString();
            emitter.send(SseEmitter.event()
                    .name("done")
                    .data(
                            json.writeValueAsString(json.createObjectNode().put("status", wire)),
                            MediaType.APPLICATION_JSON));
        }

        @Override
        public void closing(SseEmitter emitter, String reason, Map<String, Object> details) throws IOException {
            Map<String, Object> data = reason.equals("timeout") ? Map.of() : details;
            emitter.send(
                    SseEmitter.event().name(reason).data(json.writeValueAsString(data), MediaType.APPLICATION_JSON));
        }
    }
}
