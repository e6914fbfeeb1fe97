package dev.agentry.events;

/** Topic names. Lowercase, dotted; a topic's dead letters go to {@code <topic>-dlt}. */
public final class Topics {

    /** Commands for workers ({@code task.run}, ...). Key: the task id. */
    public static final String TASK_COMMANDS = "agentry.task.commands";

    /** What happened to a task ({@code task.started}, {@code task.completed}, ...). Key: the task id. */
    public static final String TASK_EVENTS = "agentry.task.events";

    /**
     * Control messages every worker reads in full ({@code task.cancel}, {@code task.iteration},
     * {@code workspace.delete}): the worker they concern acts, the others only remember cancellations. Key: the
     * task id.
     */
    public static final String TASK_CONTROL = "agentry.task.control";

    /**
     * The projected event log, entry by entry with its {@code seq}, for every API instance to fan out to its live
     * SSE subscribers. Key: the task id. Internal to the API service; short retention.
     */
    public static final String TASK_STREAM = "agentry.task.stream";

    /** Commands for conversation workers ({@code conversation.turn}). Key: the conversation id. */
    public static final String CONVERSATION_COMMANDS = "agentry.conversation.commands";

    /**
     * What happened in a conversation turn ({@code conversation.turn.started}, {@code .delta},
     * {@code .tool_called}, then {@code .completed} or {@code .failed}). Key: the conversation id.
     */
    public static final String CONVERSATION_EVENTS = "agentry.conversation.events";

    /**
     * What the API projected in a conversation that webhooks carry ({@code conversation.message.created},
     * {@code conversation.waiting_input}), for the scheduler's webhook delivery. Key: the conversation id.
     */
    public static final String CONVERSATION_NOTICES = "agentry.conversation.notices";

    /** The scheduler's firings of conversation schedules ({@code schedule.fired}). Key: the conversation id. */
    public static final String SCHEDULE_FIRINGS = "agentry.schedule.firings";

    public static String deadLetter(String topic) {
        return topic + "-dlt";
    }

    private Topics() {}
}
