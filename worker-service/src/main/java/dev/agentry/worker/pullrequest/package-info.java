/**
 * A task's work as a branch and a pull request: after each iteration with changes the workspace's work is
 * committed on the task branch ({@code agentry/task-<short id>}); {@code task.create_pr} pushes that branch with
 * the task's token and opens the pull request on GitHub; once pushed, later iterations push their commits too, so
 * the pull request follows.
 */
@NullMarked
package dev.agentry.worker.pullrequest;

import org.jspecify.annotations.NullMarked;
