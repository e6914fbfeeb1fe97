/**
 * The {@code agentry} command line: a thin client of the platform's HTTP API (missions, tasks, conversations,
 * sessions). It holds no state of its own; everything it shows comes from the API, and its exit code says how the
 * work ended.
 */
@NullMarked
package dev.agentry.cli;

import org.jspecify.annotations.NullMarked;
