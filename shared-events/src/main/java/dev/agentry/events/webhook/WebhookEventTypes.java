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

    /** Every type, in the order the API lists them. */
    public static final List<String> ALL = List.of(STARTED, COMPLETED, FAILED, PR_CREATED, ITERATION_COMPLETED);

    /** What a tenant that never chose receives: the seed's terminal callbacks. */
    public static final List<String> DEFAULT = List.of(COMPLETED, FAILED, PR_CREATED);

    private WebhookEventTypes() {}
}
