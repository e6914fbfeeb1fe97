package dev.agentry.events.task;

/**
 * The task branch is pushed and its pull request is open: the task is {@code pr_created}, a terminal state (the
 * {@code task.pr_created} webhook).
 *
 * @param existing whether GitHub already had an open pull request for the branch, which is returned instead
 */
public record TaskPullRequestCreated(
        int iteration, String workerId, String branch, int prNumber, String prUrl, boolean existing)
        implements TaskEvent {

    public static final String TYPE = "task.pr_created";

    @Override
    public String type() {
        return TYPE;
    }
}
