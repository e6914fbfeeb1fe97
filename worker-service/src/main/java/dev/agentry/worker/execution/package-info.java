/** Running one task command: events in order, workspace, runtime, changes, heartbeats, timeout and cancellation. */
@NullMarked
package dev.agentry.worker.execution;

import org.jspecify.annotations.NullMarked;
