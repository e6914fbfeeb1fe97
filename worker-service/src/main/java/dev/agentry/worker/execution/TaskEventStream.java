package dev.agentry.worker.execution;

import dev.agentry.events.Envelope;
import dev.agentry.events.Message;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.worker.messaging.TaskEventPublisher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of one run, in order. Progress events are sent without waiting; the terminal event is waited for,
 * because the command may only be accepted once Kafka holds it. Nothing is sent after the terminal event, so a late
 * heartbeat cannot follow it.
 */
final class TaskEventStream {

    private static final Logger log = LoggerFactory.getLogger(TaskEventStream.class);
    private static final long TERMINAL_ACK_SECONDS = 150;

    private final TaskEventPublisher publisher;
    private final Envelope<RunTask> command;
    private final @Nullable String traceparent;
    private boolean closed;

    TaskEventStream(TaskEventPublisher publisher, Envelope<RunTask> command, @Nullable String traceparent) {
        this.publisher = publisher;
        this.command = command;
        this.traceparent = traceparent;
    }

    synchronized void emit(Message event) {
        if (closed) {
            return;
        }
        publisher
                .publish(command.aggregateId(), command.tenantId(), traceparent, event)
                .whenComplete((result, failure) -> {
                    if (failure != null) {
                        log.warn("Event {} of task {} was not sent.", event.type(), command.aggregateId(), failure);
                    }
                });
    }

    /** Sends the terminal event and waits until Kafka acknowledged it. */
    boolean finish(TaskEvent terminal) {
        CompletableFuture<?> sent;
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            sent = publisher.publish(command.aggregateId(), command.tenantId(), traceparent, terminal);
        }
        try {
            sent.get(TERMINAL_ACK_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            log.error(
                    "Terminal event {} of task {} was not acknowledged by Kafka.",
                    terminal.type(),
                    command.aggregateId(),
                    e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the stream without a terminal event, when the run is abandoned. */
    synchronized void close() {
        closed = true;
    }
}
