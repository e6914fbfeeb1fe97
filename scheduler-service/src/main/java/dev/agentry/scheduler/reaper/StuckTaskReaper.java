package dev.agentry.scheduler.reaper;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.scheduler.SchedulerProperties;
import dev.agentry.scheduler.kafka.DurablePublisher;
import dev.agentry.scheduler.kafka.DurablePublisher.PublishFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jobrunr.jobs.annotations.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Fails tasks whose worker went away. Public, with a public {@link #reap()}, because JobRunr resolves the job's class
 * and method by reflection from the stored job details.
 */
@Component
public class StuckTaskReaper {

    /** The JobRunr recurring job id; stable, so that re-registering replaces rather than duplicates it. */
    public static final String RECURRING_JOB_ID = "reap-stuck-tasks";

    private static final Logger log = LoggerFactory.getLogger(StuckTaskReaper.class);

    private final HeldTasks heldTasks;
    private final DurablePublisher publisher;
    private final SchedulerProperties.Reaper settings;
    private final Clock clock;

    StuckTaskReaper(HeldTasks heldTasks, DurablePublisher publisher, SchedulerProperties properties, Clock clock) {
        this.heldTasks = heldTasks;
        this.publisher = publisher;
        this.settings = properties.reaper();
        this.clock = clock;
    }

    /**
     * Publishes one {@code task.failed} (reason {@code WORKER_LOST}) per stuck task and returns how many it
     * published. No retries in JobRunr: the next run finds whatever this one could not publish.
     *
     * @throws ReapIncompleteException when some events could not be published, so JobRunr shows the run as failed
     */
    @Job(name = "Reap stuck tasks", retries = 0)
    public int reap() {
        Instant now = clock.instant();
        List<HeldTask.Stuck> stuck =
                heldTasks
                        .suspectedStuck(now, settings.staleAfter(), settings.timeoutMargin(), settings.batchSize())
                        .stream()
                        .map(task -> task.stuck(now, settings.staleAfter(), settings.timeoutMargin()))
                        .flatMap(Optional::stream)
                        .toList();
        int published = 0;
        for (HeldTask.Stuck task : stuck) {
            try {
                fail(task, now);
                published++;
            } catch (PublishFailedException e) {
                log.error(
                        "Task {} is stuck but its failure could not be published; the next run retries.",
                        task.task().id(),
                        e);
            }
        }
        if (published < stuck.size()) {
            throw new ReapIncompleteException(stuck.size() - published, stuck.size());
        }
        if (published > 0) {
            log.info("Reaper failed {} stuck task(s).", published);
        }
        return published;
    }

    private void fail(HeldTask.Stuck stuck, Instant now) {
        HeldTask task = stuck.task();
        FailureReason reason = stuck.kind() == HeldTask.Stuck.Kind.WORKSPACE_LOST
                ? FailureReason.WORKSPACE_LOST
                : FailureReason.WORKER_LOST;
        TaskFailed failed = new TaskFailed(task.iteration(), stuck.error(), reason, null, null);
        Envelope<TaskFailed> envelope = new Envelope<>(
                eventId(task.id(), task.iteration()),
                TaskFailed.TYPE,
                task.id(),
                task.tenantId(),
                now,
                Envelope.SCHEMA_VERSION,
                failed);
        publisher.publish(Topics.TASK_EVENTS, envelope, settings.publishTimeout());
        log.warn(
                "Task {} of tenant {} (iteration {}, {}) is {}; published task.failed {}: {}",
                task.id(),
                task.tenantId(),
                task.iteration(),
                task.status(),
                switch (stuck.kind()) {
                    case TIMED_OUT -> "overdue";
                    case WORKER_LOST -> "without heartbeat";
                    case WORKSPACE_LOST -> "not picked up by its workspace's worker";
                },
                envelope.id(),
                stuck.error());
    }

    /**
     * The same task and iteration always give the same event id, so two firings (or two scheduler replicas) that
     * both catch the task project once: the API's projector is idempotent on the envelope id.
     */
    public static UUID eventId(UUID taskId, int iteration) {
        return UUID.nameUUIDFromBytes(("reaper:" + taskId + ":" + iteration).getBytes(StandardCharsets.UTF_8));
    }

    /** Some stuck tasks stay stuck until the next run, because Kafka did not take their events. */
    public static final class ReapIncompleteException extends RuntimeException {

        ReapIncompleteException(int unpublished, int stuck) {
            super("Could not publish the failure of " + unpublished + " of " + stuck + " stuck task(s)");
        }
    }
}
