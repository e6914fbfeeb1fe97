package dev.agentry.api.task;

import java.util.List;

/**
 * Published on this instance once the projector has committed a batch: the log entries it appended, in order.
 * The stream feature fans them out to every instance's live subscribers.
 */
public record TaskLogAppended(List<LoggedEvent> entries) {}
