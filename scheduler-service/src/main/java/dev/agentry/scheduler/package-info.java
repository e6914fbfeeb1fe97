/**
 * The scheduler service: time-driven work on JobRunr (PostgreSQL storage), such as reaping tasks whose worker went
 * away. It reads the API's tables but never writes them; every change it wants goes to Kafka as an event.
 */
@NullMarked
package dev.agentry.scheduler;

import org.jspecify.annotations.NullMarked;
