/**
 * Stuck-task reaping: a recurring JobRunr job that finds tasks a worker holds ({@code cloning}, {@code running})
 * whose worker has gone quiet or overran the task's timeout, and publishes {@code task.failed} (reason
 * {@code WORKER_LOST}) for each. It never writes the tasks table; the API's projector does, idempotently on the
 * event id, which is derived from the task and iteration so that a double firing projects once.
 */
@NullMarked
package dev.agentry.scheduler.reaper;

import org.jspecify.annotations.NullMarked;
