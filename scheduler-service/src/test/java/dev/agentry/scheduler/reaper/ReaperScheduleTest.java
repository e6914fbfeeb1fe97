package dev.agentry.scheduler.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.scheduler.SchedulerIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class ReaperScheduleTest extends SchedulerIntegrationTest {

    @Autowired
    StorageProvider storage;

    @Autowired
    JdbcClient jdbc;

    @Test
    void registersTheReaperAsARecurringJobInJobRunrStorage() {
        RecurringJob job = recurringReaper();

        assertThat(job.getScheduleExpression()).isEqualTo("PT1H");
        assertThat(job.getJobDetails().getClassName()).isEqualTo(StuckTaskReaper.class.getName());
        assertThat(job.getJobDetails().getMethodName()).isEqualTo("reap");
    }

    @Test
    void runsTheStoredRecurringJobOnJobRunrsBackgroundServer() {
        UUID task = new HeldTaskRows(jdbc)
                .insert(
                        "tenant-" + UUID.randomUUID(),
                        "running",
                        1,
                        3600,
                        Instant.now().minus(Duration.ofMinutes(30)),
                        Instant.now().minus(Duration.ofMinutes(10)));

        // Exactly what a firing of the schedule enqueues, without waiting an interval for it.
        Job firing = storage.save(recurringReaper().toEnqueuedJob());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> storage.getJobById(firing.getId()).getState(), state -> state == StateName.SUCCEEDED);
        try (TaskEventsTopic topic = new TaskEventsTopic()) {
            assertThat(topic.readAll())
                    .filteredOn(record -> record.key().equals(task.toString()))
                    .singleElement()
                    .satisfies(record -> assertThat(new MessageCodec()
                                    .decodeTaskEvent(record.value())
                                    .payload())
                            .isInstanceOf(TaskFailed.class));
        }
    }

    private RecurringJob recurringReaper() {
        return storage.getRecurringJobs().stream()
                .filter(job -> job.getId().equals(StuckTaskReaper.RECURRING_JOB_ID))
                .findFirst()
                .orElseThrow(() -> new AssertionError("The reaper is not registered in JobRunr"));
    }
}
