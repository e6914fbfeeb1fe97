/**
 * GitHub's REST API, as far as the worker needs it: open a pull request, or find the open one of a branch. Rate
 * limits and transient failures are retried with resilience4j; everything else is a typed failure.
 */
@NullMarked
package dev.agentry.worker.github;

import org.jspecify.annotations.NullMarked;
