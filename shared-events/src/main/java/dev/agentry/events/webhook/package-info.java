/** Names shared by the API and the scheduler for webhook delivery. */
@NullMarked
package dev.agentry.events.webhook;

import org.jspecify.annotations.NullMarked;
