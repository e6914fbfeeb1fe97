/** Readiness checks that really talk to the scheduler's dependencies. */
@NullMarked
package dev.agentry.scheduler.health;

import org.jspecify.annotations.NullMarked;
