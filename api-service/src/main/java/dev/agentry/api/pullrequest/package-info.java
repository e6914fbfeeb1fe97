/**
 * {@code POST /api/v1/tasks/{id}/create-pr}: the task goes {@code creating_pr}, the worker holding its workspace is
 * asked over {@code agentry.task.control} to push the task branch and open the pull request, and the request waits
 * a bounded time, holding no thread, for the projected answer ({@code pr_created}, or the task back where it was
 * with the error).
 */
@NullMarked
package dev.agentry.api.pullrequest;

import org.jspecify.annotations.NullMarked;
