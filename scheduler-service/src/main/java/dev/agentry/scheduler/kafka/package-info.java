/** Publishing task events to Kafka: an idempotent, acks=all producer of MessageCodec bytes keyed by task id. */
@NullMarked
package dev.agentry.scheduler.kafka;

import org.jspecify.annotations.NullMarked;
