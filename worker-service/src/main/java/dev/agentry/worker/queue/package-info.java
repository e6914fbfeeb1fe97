/**
 * Taking commands off Kafka: for each {@link dev.agentry.worker.queue.CommandHandler}, one share-group consumer per
 * slot, acquisition-lock renewal, acknowledgement, dead letters. Knows nothing of what a command does.
 */
@NullMarked
package dev.agentry.worker.queue;

import org.jspecify.annotations.NullMarked;
