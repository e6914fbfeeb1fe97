/** How much work waits for or occupies the worker fleet, exported for autoscaling (KEDA) and dashboards. */
@NullMarked
package dev.agentry.api.queue;

import org.jspecify.annotations.NullMarked;
