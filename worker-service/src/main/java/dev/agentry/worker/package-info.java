/** The worker service: consumes task commands from Kafka, runs them, emits task events. No database. */
@NullMarked
package dev.agentry.worker;

import org.jspecify.annotations.NullMarked;
