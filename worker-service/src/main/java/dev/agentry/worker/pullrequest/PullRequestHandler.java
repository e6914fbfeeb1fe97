package dev.agentry.worker.pullrequest;

import dev.agentry.events.Envelope;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.TaskControl;
import org.jspecify.annotations.Nullable;

/**
 * Opens pull requests for {@code task.create_pr} control messages addressed to this worker. A bean implementing it
 * is called on a thread of its own (never the control consumer's); without one, such messages are logged and
 * ignored.
 */
public interface PullRequestHandler {

    void createPullRequest(Envelope<TaskControl> envelope, CreatePullRequest request, @Nullable String traceparent);
}
