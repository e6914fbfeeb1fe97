package dev.agentry.api.task;

import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** How each task event reads in the log (its {@code type}, {@code event} and {@code data}) and on the task row. */
@Component
class LogEntries {

    private final JsonMapper json;

    LogEntries(JsonMapper json) {
        this.json = json;
    }

    record Entry(String type, String event, JsonNode data) {}

    Entry entry(TaskEvent event) {
        return switch (event) {
            case TaskStarted s ->
                new Entry(
                        "system",
                        "status_change",
                        json.createObjectNode()
                                .put("status", s.status())
                                .put("worker_id", s.workerId())
                                .put("attempt", s.attempt())
                                .put("iteration", s.iteration()));
            case TaskRunning r ->
                new Entry(
                        "system",
                        "status_change",
                        json.createObjectNode().put("status", "running").put("iteration", r.iteration()));
            case TaskOutput o -> new Entry(o.category(), o.name(), o.data());
            case TaskCompleted c -> {
                ObjectNode data = json.createObjectNode()
                        .put("status", "completed")
                        .put("iteration", c.iteration())
                        .put("result", c.result());
                data.set("usage", json.readTree(usage(c.usage())));
                data.set("changes_summary", json.readTree(changes(c.changes())));
                yield new Entry("result", "completed", data);
            }
            case TaskFailed f ->
                new Entry(
                        "result",
                        "failed",
                        json.createObjectNode()
                                .put("status", "failed")
                                .put("iteration", f.iteration())
                                .put("error", f.error())
                                .put("reason", f.reason().name().toLowerCase(java.util.Locale.ROOT)));
            case TaskHeartbeat h -> new Entry("system", "heartbeat", json.createObjectNode());
            case TaskPullRequestCreated p ->
                new Entry(
                        "result",
                        "pr_created",
                        json.createObjectNode()
                                .put("status", "pr_created")
                                .put("iteration", p.iteration())
                                .put("branch", p.branch())
                                .put("pr_number", p.prNumber())
                                .put("pr_url", p.prUrl())
                                .put("existing", p.existing()));
            case TaskPullRequestFailed p -> {
                ObjectNode data = json.createObjectNode()
                        .put("iteration", p.iteration())
                        .put("error", p.error())
                        .put("reason", p.reason().name().toLowerCase(java.util.Locale.ROOT));
                if (p.branch() != null) {
                    data.put("branch", p.branch());
                }
                yield new Entry("git", "pr_failed", data);
            }
        };
    }

    String usage(Usage usage) {
        ObjectNode node = json.createObjectNode()
                .put("input_tokens", usage.inputTokens())
                .put("output_tokens", usage.outputTokens())
                .put("duration_seconds", usage.durationSeconds());
        if (usage.costUsd() != null) {
            node.put("cost_usd", usage.costUsd());
        }
        return json.writeValueAsString(node);
    }

    String changes(ChangesSummary changes) {
        return json.writeValueAsString(json.createObjectNode()
                .put("files_changed", changes.filesChanged())
                .put("insertions", changes.insertions())
                .put("deletions", changes.deletions()));
    }
}
