/** Taking task commands off Kafka: one share-group consumer per slot, acquisition-lock renewal, acknowledgement. */
@NullMarked
package dev.agentry.worker.queue;

import org.jspecify.annotations.NullMarked;
