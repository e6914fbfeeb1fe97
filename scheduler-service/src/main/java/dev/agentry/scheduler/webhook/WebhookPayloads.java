package dev.agentry.scheduler.webhook;

import dev.agentry.events.Envelope;
import dev.agentry.events.conversation.ConversationNotice;
import dev.agentry.events.conversation.MessageCreated;
import dev.agentry.events.conversation.WaitingInput;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.events.webhook.WebhookEventTypes;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook bodies, in seed 004's shape: {@code task_id, status, result, changes_summary, usage, trace_id,
 * finished_at}, plus {@code error} (and {@code failure_reason}) on failure, plus {@code event} and {@code iteration}.
 * {@code task.iteration.completed} carries the same fields as the state it ended in ({@code status} tells which).
 * Built once, stored as bytes, and sent byte for byte on every attempt.
 */
final class WebhookPayloads {

    private static final JsonMapper json = JsonMapper.builder().build();

    private WebhookPayloads() {}

    /**
     * The webhook event types a task event can be delivered as: the task's new state, and for the end of an
     * iteration (either way) also {@code task.iteration.completed}. Empty for events webhooks do not carry.
     */
    static List<String> eventTypes(TaskEvent event) {
        return switch (event) {
            case TaskCompleted completed -> List.of(WebhookEventTypes.COMPLETED, WebhookEventTypes.ITERATION_COMPLETED);
            case TaskFailed failed -> List.of(WebhookEventTypes.FAILED, WebhookEventTypes.ITERATION_COMPLETED);
            case TaskStarted started -> List.of(WebhookEventTypes.STARTED);
            case TaskPullRequestCreated created -> List.of(WebhookEventTypes.PR_CREATED);
            default -> List.of();
        };
    }

    /** The body of {@code envelope} delivered as {@code eventType}, one of {@link #eventTypes} of its payload. */
    static byte[] body(Envelope<? extends TaskEvent> envelope, String eventType, CallbackTasks.TaskRow task) {
        @Nullable String traceId = task.traceId();
        ObjectNode body = json.createObjectNode();
        body.put("event", eventType);
        body.put("task_id", envelope.aggregateId().toString());
        body.put("iteration", envelope.payload().iteration());
        switch (envelope.payload()) {
            case TaskCompleted completed -> {
                body.put("status", "completed");
                body.put("result", completed.result());
                changes(body, completed.changes());
                usage(body, completed.usage());
                body.put("trace_id", traceId);
                body.put("finished_at", envelope.occurredAt().toString());
            }
            case TaskFailed failed -> {
                body.put("status", "failed");
                body.putNull("result");
                changes(body, failed.changes() == null ? ChangesSummary.NONE : failed.changes());
                usage(body, failed.usage() == null ? Usage.none(0) : failed.usage());
                body.put("trace_id", traceId);
                body.put("finished_at", envelope.occurredAt().toString());
                body.put("error", failed.error());
                body.put("failure_reason", failed.reason().name().toLowerCase(Locale.ROOT));
            }
            case TaskStarted started -> {
                body.put("status", started.status());
                body.put("worker_id", started.workerId());
                body.put("attempt", started.attempt());
                body.put("trace_id", traceId);
                body.put("started_at", envelope.occurredAt().toString());
            }
            case TaskPullRequestCreated created -> {
                // The event carries the pull request; the task's outcome comes from the API's row.
                body.put("status", "pr_created");
                body.put("result", task.result());
                body.set("changes_summary", task.changes() == null ? zeroChanges() : json.readTree(task.changes()));
                body.set("usage", task.usage() == null ? zeroUsage() : json.readTree(task.usage()));
                body.put("trace_id", traceId);
                body.put("finished_at", envelope.occurredAt().toString());
                body.put("pr_url", created.prUrl());
                body.put("pr_number", created.prNumber());
                body.put("branch", created.branch());
            }
            default -> throw new IllegalArgumentException("No webhook for " + envelope.type());
        }
        return json.writeValueAsBytes(body);
    }

    /**
     * The body of a conversation notice, in seed 003's own shapes (camelCase, its message and pending question
     * objects), since that is the API the receiver knows the conversation from.
     */
    static byte[] conversationBody(Envelope<? extends ConversationNotice> envelope) {
        ObjectNode body = json.createObjectNode();
        body.put("event", envelope.type());
        body.put("conversationId", envelope.aggregateId().toString());
        body.put("userId", envelope.payload().userId());
        switch (envelope.payload()) {
            case MessageCreated created -> {
                ObjectNode message = body.putObject("message");
                message.put("id", created.messageId().toString());
                message.put("conversationId", envelope.aggregateId().toString());
                message.put("role", created.role());
                message.put("content", created.content());
                message.put("source", created.source());
                message.put("createdAt", created.createdAt().toString());
            }
            case WaitingInput waiting -> {
                body.put("status", "waiting_input");
                ObjectNode question = body.putObject("pendingQuestion");
                question.put("type", waiting.question().type());
                question.put("prompt", waiting.question().prompt());
                List<String> options = waiting.question().options();
                if (options == null) {
                    question.putNull("options");
                } else {
                    options.forEach(question.putArray("options")::add);
                }
            }
        }
        body.put("occurredAt", envelope.occurredAt().toString());
        return json.writeValueAsBytes(body);
    }

    private static ObjectNode zeroChanges() {
        ObjectNode holder = json.createObjectNode();
        changes(holder, ChangesSummary.NONE);
        return (ObjectNode) holder.get("changes_summary");
    }

    private static ObjectNode zeroUsage() {
        ObjectNode holder = json.createObjectNode();
        usage(holder, Usage.none(0));
        return (ObjectNode) holder.get("usage");
    }

    private static void changes(ObjectNode body, ChangesSummary changes) {
        ObjectNode node = body.putObject("changes_summary");
        node.put("files_changed", changes.filesChanged());
        node.put("insertions", changes.insertions());
        node.put("deletions", changes.deletions());
    }

    private static void usage(ObjectNode body, Usage usage) {
        ObjectNode node = body.putObject("usage");
        node.put("input_tokens", usage.inputTokens());
        node.put("output_tokens", usage.outputTokens());
        node.put("duration_seconds", usage.durationSeconds());
        if (usage.costUsd() != null) {
            node.put("cost_usd", usage.costUsd());
        }
    }
}
