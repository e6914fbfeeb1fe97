/**
 * What a worker sends to Kafka besides acknowledgements: task, pull-request, workspace and conversation-turn events
 * ({@link dev.agentry.worker.messaging.TaskEventPublisher}), and records it cannot decode, to {@code <topic>-dlt}
 * ({@link dev.agentry.worker.messaging.DeadLetters}).
 */
@NullMarked
package dev.agentry.worker.messaging;

import org.jspecify.annotations.NullMarked;
