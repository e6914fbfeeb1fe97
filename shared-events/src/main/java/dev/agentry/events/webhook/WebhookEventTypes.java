package dev.agentry.events.webhook;

import java.util.List;

/**
 * The webhook event types a subscriber can choose, for its tenant ({@code PUT /api/v1/webhooks/settings}) or for one
 * task ({@code webhook_events} on submission). The API validates choices against this list and the scheduler turns
 * task events into deliveries by it, so the two never disagree on a name.
 */
public final class WebhookEventTypes {

    /** The task started running (first iteration, or again after a redelivery). */
    public static final String STARTED = "task.started";

    /** The task reached {@code completed}, after its first iteration or after a follow-up. */
    public static final String COMPLETED = "task.completed";

    /** The task reached {@code failed}, including a cancellation. */
    public static final String FAILED = "task.failed";

    /** A pull request was opened for the task's changes. */
    public static final String PR_CREATED = "task.pr_created";

    /**
     * One iteration ended, successfully or not: one delivery per iteration with that iteration's number, outcome,
     * usage and changes. For subscribers that follow a conversation turn by turn rather than the task's state.
     */
    public static final String ITERATION_COMPLETED = "task.iteration.completed";

    /** Every task type, in the order the API lists them: what a task may choose ({@code webhook_events}). */
    public static final List<String> ALL = List.of(STARTED, COMPLETED, FAILED, PR_CREATED, ITERATION_COMPLETED);

    /** A message was added to a conversation (seed 003). Sent to the tenant's endpoint, not a task's callback. */
    public static final String MESSAGE_CREATED = "conversation.message.created";

    /** A conversation waits for its user's answer to the assistant's question (seed 003). */
    public static final String WAITING_INPUT = "conversation.waiting_input";

    /** The conversation types: a conversation has no callback of its own, so only the tenant's endpoint gets them. */
    public static final List<String> CONVERSATION = List.of(MESSAGE_CREATED, WAITING_INPUT);

    /** What a tenant may subscribe to: the task types and the conversation types. */
    public static final List<String> SUBSCRIBABLE =
            List.of(STARTED, COMPLETED, FAILED, PR_CREATED, ITERATION_COMPLETED, MESSAGE_CREATED, WAITING_INPUT);

    /** What a tenant that never chose receives: the seed's terminal callbacks. */
    public static final List<String> DEFAULT = List.of(COMPLETED, FAILED, PR_CREATED);

    private WebhookEventTypes() {}
}
