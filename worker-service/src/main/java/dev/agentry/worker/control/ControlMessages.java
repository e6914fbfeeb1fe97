package dev.agentry.worker.control;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.DeleteWorkspace;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.TaskControl;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.execution.TaskExecutor;
import dev.agentry.worker.messaging.TaskEventPublisher;
import dev.agentry.worker.pullrequest.PullRequestHandler;
import dev.agentry.worker.workspace.Workspaces;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What a worker does with each control message: cancellations at once, on the consumer's thread (they only flag
 * and kill); follow-up iterations, pull requests and workspace deletions on threads of their own, at most
 * {@code concurrency} follow-ups at once, so the consumer never blocks on a task.
 */
@Component
class ControlMessages {

    private static final Logger log = LoggerFactory.getLogger(ControlMessages.class);

    private final WorkerProperties properties;
    private final MessageCodec codec;
    private final TaskExecutor executor;
    private final Workspaces workspaces;
    private final TaskEventPublisher publisher;
    private final ObjectProvider<PullRequestHandler> pullRequests;
    private final Semaphore iterationSlots;
    private volatile ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();

    ControlMessages(
            WorkerProperties properties,
            MessageCodec codec,
            TaskExecutor executor,
            Workspaces workspaces,
            TaskEventPublisher publisher,
            ObjectProvider<PullRequestHandler> pullRequests) {
        this.properties = properties;
        this.codec = codec;
        this.executor = executor;
        this.workspaces = workspaces;
        this.publisher = publisher;
        this.pullRequests = pullRequests;
        this.iterationSlots = new Semaphore(properties.concurrency());
    }

    void start() {
        work = Executors.newVirtualThreadPerTaskExecutor();
    }

    /** Follow-ups still running are killed without a terminal event by the command queue's stop. */
    void stop() {
        work.shutdownNow();
    }

    /**
     * Acts on one record of the control topic.
     *
     * @throws UndecodableMessageException when it is no control message: it goes to the dead-letter topic
     */
    void handle(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            throw new UndecodableMessageException("empty record");
        }
        Envelope<TaskControl> envelope = codec.decodeTaskControl(record.value());
        UUID taskId = envelope.aggregateId();
        String traceparent = header(record, Headers.TRACEPARENT);
        try {
            switch (envelope.payload()) {
                case CancelTask cancel -> {
                    if (executor.cancel(taskId, cancel.iteration())) {
                        log.info("Task {} iteration {} is being cancelled on this worker.", taskId, cancel.iteration());
                    }
                }
                case RunIteration iteration -> {
                    if (mine(iteration.workerId())) {
                        runIteration(envelope, iteration, traceparent);
                    }
                }
                case CreatePullRequest pullRequest -> {
                    if (mine(pullRequest.workerId())) {
                        createPullRequest(envelope, pullRequest, traceparent);
                    }
                }
                case DeleteWorkspace delete -> {
                    if (mine(delete.workerId())) {
                        work.submit(() -> deleteWorkspace(taskId, envelope.tenantId(), traceparent));
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("Control message {} for task {} could not be handled.", envelope.type(), taskId, e);
        }
    }

    private boolean mine(String workerId) {
        return properties.workerId().equals(workerId);
    }

    private void runIteration(Envelope<TaskControl> envelope, RunIteration iteration, @Nullable String traceparent) {
        log.info(
                "Task {} iteration {} is handed to this worker.",
                envelope.aggregateId(),
                iteration.run().iteration());
        work.submit(() -> {
            try {
                iterationSlots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                executor.executeFollowUp(envelope, iteration.run(), traceparent);
            } finally {
                iterationSlots.release();
            }
        });
    }

    private void createPullRequest(
            Envelope<TaskControl> envelope, CreatePullRequest request, @Nullable String traceparent) {
        PullRequestHandler handler = pullRequests.getIfAvailable();
        if (handler == null) {
            log.warn("Task {} asks this worker for a pull request, which it cannot open.", envelope.aggregateId());
            return;
        }
        work.submit(() -> handler.createPullRequest(envelope, request, traceparent));
    }

    private void deleteWorkspace(UUID taskId, String tenantId, @Nullable String traceparent) {
        boolean deleted = executor.whileNotRunning(taskId, () -> workspaces.delete(taskId));
        if (!deleted) {
            log.warn("The workspace of task {} is not deleted: the task is running in it.", taskId);
            return;
        }
        publisher.publish(taskId, tenantId, traceparent, new WorkspaceRemoved(properties.workerId(), "deleted"));
    }

    private static @Nullable String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
