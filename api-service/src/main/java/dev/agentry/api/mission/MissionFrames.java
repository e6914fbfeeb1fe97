package dev.agentry.api.mission;

import dev.agentry.api.stream.IterationWaits;
import dev.agentry.api.stream.StreamFormat;
import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.TaskStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seed 002's stream frames, {@code data: {"timestamp", "event_type", "message", "details"}}, read from one
 * iteration of the session's task log: {@code started}; for each agent message {@code step_start}, then
 * {@code llm_token} for its text and {@code tool_call} for each tool it calls; {@code tool_result} for each
 * result; {@code final_answer} (or {@code error}) when the iteration ends; then {@code complete {status,
 * session_id}}. Every frame but {@code started} carries {@code id: <seq>} of the log entry it comes from, so
 * {@code Last-Event-ID} resumes after it. One instance serves one stream.
 */
final class MissionFrames implements StreamFormat {

    private static final int OUTPUT_LIMIT = 200;

    private final JsonMapper json;
    private final UUID sessionId;
    private final String profile;
    private final String mission;
    private final int iteration;
    private final @Nullable Integer maxSteps;
    private final Supplier<MissionOutcome> storedOutcome;
    private final Map<String, String> toolNames = new HashMap<>();
    private int step;
    private @Nullable String lastMessageId;

    MissionFrames(
            JsonMapper json,
            Session session,
            String mission,
            int iteration,
            @Nullable Integer maxSteps,
            Supplier<MissionOutcome> storedOutcome) {
        this.json = json;
        this.sessionId = session.id();
        this.profile = session.profile();
        this.mission = mission;
        this.iteration = iteration;
        this.maxSteps = maxSteps;
        this.storedOutcome = storedOutcome;
    }

    @Override
    public void opening(SseEmitter emitter, TaskStatus status, boolean resumed) throws IOException {
        if (resumed) {
            return;
        }
        ObjectNode details = json.createObjectNode()
                .put("session_id", sessionId.toString())
                .put("profile", profile)
                .put("iteration", iteration);
        String head = mission.length() > 80 ? mission.substring(0, 80) : mission;
        send(emitter, null, Instant.now().toString(), "started", "Starting mission: " + head, details);
    }

    @Override
    public void entry(SseEmitter emitter, LoggedEvent entry) throws IOException {
        if (entry.type().equals("stream")) {
            agentEvent(emitter, entry);
        } else if (IterationWaits.endsIteration(entry, iteration)) {
            MissionOutcome outcome = MissionOutcome.of(entry);
            String message = outcome.message();
            if (outcome.status() == SessionStatus.FAILED) {
                ObjectNode details = json.createObjectNode()
                        .put("message", message)
                        .put("reason", entry.data().path("reason").asString("runtime"))
                        .put("step", step);
                send(emitter, entry, entry.ts(), "error", "Error: " + message, details);
                return;
            }
            ObjectNode details = json.createObjectNode().put("content", message);
            if (outcome.status() == SessionStatus.PAUSED) {
                details.put("pending_question", true);
            }
            send(emitter, entry, entry.ts(), "final_answer", message, details);
        }
    }

    /** Claude Code's stream-json: an assistant message is a step; a user message carries tool results. */
    private void agentEvent(SseEmitter emitter, LoggedEvent entry) throws IOException {
        JsonNode event = entry.data();
        String type = event.path("type").asString("");
        JsonNode content = event.path("message").path("content");
        if (type.equals("assistant")) {
            // Claude Code may send a message as one event per content block: a step is a message, by its id.
            String messageId = event.path("message").path("id").asString("");
            if (messageId.isEmpty() || !messageId.equals(lastMessageId)) {
                lastMessageId = messageId;
                stepStart(emitter, entry);
            }
            for (JsonNode block : content) {
                String kind = block.path("type").asString("");
                if (kind.equals("text") && !block.path("text").asString("").isEmpty()) {
                    String text = block.path("text").asString();
                    send(
                            emitter,
                            entry,
                            entry.ts(),
                            "llm_token",
                            text,
                            json.createObjectNode().put("content", text));
                } else if (kind.equals("tool_use")) {
                    String tool = block.path("name").asString("");
                    String id = block.path("id").asString("");
                    toolNames.put(id, tool);
                    ObjectNode details2 = json.createObjectNode()
                            .put("tool", tool)
                            .put("id", id)
                            .put("status", "starting");
                    details2.set("args", block.path("input"));
                    send(emitter, entry, entry.ts(), "tool_call", "Calling: " + tool, details2);
                }
            }
        } else if (type.equals("user")) {
            for (JsonNode block : content) {
                if (!block.path("type").asString("").equals("tool_result")) {
                    continue;
                }
                String id = block.path("tool_use_id").asString("");
                String tool = toolNames.getOrDefault(id, "");
                boolean success = !block.path("is_error").asBoolean(false);
                String output = text(block.path("content"));
                String shown = output.length() > OUTPUT_LIMIT ? output.substring(0, OUTPUT_LIMIT) + "..." : output;
                String brief = output.length() > 50 ? output.substring(0, 50) : output;
                send(
                        emitter,
                        entry,
                        entry.ts(),
                        "tool_result",
                        (success ? "OK " : "Failed ") + tool + ": " + brief,
                        json.createObjectNode()
                                .put("tool", tool)
                                .put("id", id)
                                .put("success", success)
                                .put("output", shown));
            }
        }
    }

    private void stepStart(SseEmitter emitter, LoggedEvent entry) throws IOException {
        ObjectNode details = json.createObjectNode().put("step", step).put("iteration", step + 1);
        if (maxSteps != null) {
            details.put("max_steps", maxSteps);
        } else {
            details.putNull("max_steps");
        }
        send(emitter, entry, entry.ts(), "step_start", "Step " + (step + 1) + " starting...", details);
        step++;
    }

    /** A tool result's content: a string, or blocks whose text parts are joined. */
    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            text.append(block.path("text").asString(""));
        }
        return text.toString();
    }

    @Override
    public boolean ends(LoggedEvent entry, boolean replayed) {
        return IterationWaits.endsIteration(entry, iteration);
    }

    /** Only a resumed stream can find its iteration over with its end already sent. */
    @Override
    public boolean endsAfterHistory(TaskStatus status) {
        return status.terminal();
    }

    @Override
    public void done(SseEmitter emitter, @Nullable LoggedEvent last, TaskStatus status) throws IOException {
        MissionOutcome outcome = last != null ? MissionOutcome.of(last) : storedOutcome.get();
        ObjectNode details =
                json.createObjectNode().put("status", outcome.status().wire()).put("session_id", sessionId.toString());
        send(emitter, last, Instant.now().toString(), "complete", outcome.message(), details);
    }

    @Override
    public void closing(SseEmitter emitter, String reason, Map<String, Object> details) throws IOException {
        ObjectNode data = json.valueToTree(details);
        data.put("reason", reason);
        data.put("session_id", sessionId.toString());
        String message = switch (reason) {
            case "overflow" -> "The client fell too far behind; reconnect with Last-Event-ID.";
            case "timeout" -> "No progress for too long; the mission goes on. Reconnect with Last-Event-ID.";
            default -> "The credential of this stream is no longer valid.";
        };
        send(emitter, null, Instant.now().toString(), "error", message, data);
    }

    private void send(
            SseEmitter emitter,
            @Nullable LoggedEvent entry,
            String timestamp,
            String type,
            String message,
            ObjectNode details)
            throws IOException {
        ObjectNode frame = json.createObjectNode()
                .put("timestamp", timestamp)
                .put("event_type", type)
                .put("message", message);
        frame.set("details", details);
        SseEmitter.SseEventBuilder event = SseEmitter.event();
        if (entry != null) {
            event.id(Long.toString(entry.seq()));
        }
        emitter.send(event.data(json.writeValueAsString(frame), MediaType.APPLICATION_JSON));
    }
}
