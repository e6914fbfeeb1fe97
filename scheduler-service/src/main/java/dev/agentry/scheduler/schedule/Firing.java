package dev.agentry.scheduler.schedule;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What to publish for a due cursor and where to move it.
 *
 * @param fireTime the instant the cursor held: the same on every retry, so a republish is the same firing
 * @param catchUp later instants passed too (the scheduler was down or behind); they are not fired one by one
 * @param nextFireAt the cursor's next instant, strictly after now; null when the schedule fires only once
 */
record Firing(Instant fireTime, boolean catchUp, @Nullable Instant nextFireAt) {}
