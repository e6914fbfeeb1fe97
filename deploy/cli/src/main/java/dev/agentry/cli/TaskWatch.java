package dev.agentry.cli;

import java.io.PrintStream;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Follows seed 004's task stream ({@code GET /api/v1/tasks/{id}/stream}) until {@code done}: the agent's output
 * lines as they come, other entries as short lines. It reconnects with {@code Last-Event-ID} when the connection
 * drops, when the server closes an idle stream ({@code timeout}) and when it says the client fell behind
 * ({@code overflow}); the server replays from there, dropping nothing and repeating nothing.
 */
final class TaskWatch {

    private final ApiClient api;
    private final Printer printer;
    private final PrintStream err;
    private final int reconnects;
    private String status = "running";
    private String taskId = "";

    TaskWatch(ApiClient api, Printer printer, PrintStream err, int reconnects) {
        this.api = api;
        this.printer = printer;
        this.err = err;
        this.reconnects = reconnects;
    }

    int follow(String taskId) {
        this.taskId = taskId;
        String path = "/api/v1/tasks/" + taskId + "/stream";
        ResumableStream stream =
                new ResumableStream(reconnects, Duration.ofMillis(500), notice -> err.println("agentry: " + notice));
        ResumableStream.Outcome outcome =
                stream.follow(lastEventId -> api.openStream("GET", path, null, lastEventId), this::see);
        if (!outcome.finished()) {
            err.println("agentry: lost the stream of task " + taskId + "; it goes on: agentry tasks get " + taskId);
            return ExitCode.IN_PROGRESS;
        }
        return switch (status) {
            case "completed", "pr_created" -> ExitCode.OK;
            case "failed" -> ExitCode.FAILED;
            default -> ExitCode.IN_PROGRESS;
        };
    }

    private boolean see(SseEvent event) {
        JsonNode data;
        try {
            data = ApiClient.JSON.readTree(event.data());
        } catch (JacksonException e) {
            data = ApiClient.JSON.getNodeFactory().stringNode(event.data());
        }
        if (printer.json()) {
            printer.jsonLine(ApiClient.JSON
                    .createObjectNode()
                    .put("event", event.name())
                    .put("id", event.lastEventId())
                    .set("data", data));
        }
        switch (event.name()) {
            case "connected" -> {
                status = data.path("status").asString(status);
                text("Task " + data.path("task_id").asString() + " is " + status + ".");
            }
            case "done" -> {
                status = data.path("status").asString(status);
                text("Task ended: " + status + ".");
                return true;
            }
            case "unauthorized" -> throw new ApiException("the task stream", 401, "The token is no longer valid.");
            case "timeout", "overflow" -> {
                // The server closes the stream after this; the reconnection resumes after the last id.
            }
            default -> {
                if (event.unnamed()) {
                    text(entry(data));
                    return endsTheTask(data);
                }
            }
        }
        return false;
    }

    /**
     * Whether a {@code result} entry is the task's end, by the task's own state: the stream sends {@code done} after
     * it, but not always when the task ends while the stream opens (the entry then comes in the replayed history, and
     * the server waits for a live one that it drops as already sent, until its idle timeout). An earlier iteration's
     * result, replayed while a follow-up runs, does not match the task's current iteration and state.
     */
    private boolean endsTheTask(JsonNode entry) {
        JsonNode data = entry.path("data");
        if (!entry.path("type").asString("").equals("result")
                || !terminal(data.path("status").asString(""))) {
            return false;
        }
        JsonNode task = api.get("/api/v1/tasks/" + taskId);
        String now = task.path("status").asString("");
        boolean current = !data.path("iteration").isNumber()
                || data.get("iteration").asInt() == task.path("iteration").asInt();
        if (!current || !terminal(now)) {
            return false;
        }
        status = now;
        text("Task ended: " + status + ".");
        return true;
    }

    private static boolean terminal(String status) {
        return switch (status) {
            case "completed", "failed", "pr_created" -> true;
            default -> false;
        };
    }

    private void text(String line) {
        if (!printer.json() && !line.isEmpty()) {
            printer.line(line);
        }
    }

    /** An entry {@code {type, event, data, ts}} as one line: output as it is, the rest tagged with its kind. */
    static String entry(JsonNode entry) {
        String type = entry.path("type").asString("");
        JsonNode data = entry.path("data");
        if (data.path("line").isString()) {
            return data.get("line").asString();
        }
        if (type.equals("result")) {
            String status = data.path("status").asString("");
            String detail = data.path("error").isString()
                    ? data.get("error").asString()
                    : data.path("result").asString("");
            return "[result] " + status + (detail.isEmpty() ? "" : ": " + Printer.shorten(detail, 300));
        }
        String message = data.path("message").isString()
                ? data.get("message").asString()
                : data.isObject() && !data.isEmpty() ? Printer.shorten(data.toString(), 200) : "";
        return "[" + type + "] " + entry.path("event").asString("") + (message.isEmpty() ? "" : ": " + message);
    }
}
