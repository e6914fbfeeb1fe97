package dev.agentry.scheduler.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.scheduler.SchedulerIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class StuckTaskReaperTest extends SchedulerIntegrationTest {

    private static final MessageCodec codec = new MessageCodec();

    @Autowired
    StuckTaskReaper reaper;

    @Autowired
    JdbcClient jdbc;

    HeldTaskRows tasks;
    TaskEventsTopic topic;
    String tenant;

    @BeforeEach
    void setUp() {
        tasks = new HeldTaskRows(jdbc);
        topic = new TaskEventsTopic();
        tenant = "tenant-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        topic.close();
    }

    @Test
    void publishesOneWorkerLostFailureForARunningTaskWhoseHeartbeatStopped() {
        Instant now = Instant.now();
        UUID task = tasks.insert(tenant, "running", 3, 3600, now.minus(Duration.ofMinutes(20)), ago(6));

        reaper.reap();

        List<ConsumerRecord<String, byte[]>> records = recordsOf(task);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.getFirst();
        Envelope<TaskEvent> envelope = codec.decodeTaskEvent(record.value());
        assertThat(envelope.aggregateId()).isEqualTo(task);
        assertThat(envelope.tenantId()).isEqualTo(tenant);
        assertThat(envelope.id()).isEqualTo(StuckTaskReaper.eventId(task, 3));
        assertThat(envelope.type()).isEqualTo(TaskFailed.TYPE);
        assertThat(header(record, Headers.MESSAGE_ID)).isEqualTo(envelope.id().toString());
        assertThat(header(record, Headers.MESSAGE_TYPE)).isEqualTo(TaskFailed.TYPE);
        assertThat(envelope.payload()).isInstanceOfSatisfying(TaskFailed.class, failed -> {
            assertThat(failed.iteration()).isEqualTo(3);
            assertThat(failed.reason()).isEqualTo(FailureReason.WORKER_LOST);
            assertThat(failed.error())
                    .startsWith("Worker lost: worker worker-7 sent no heartbeat since")
                    .contains("more than 5 min ago");
        });
    }

    @Test
    void failsACloningTaskWithNoHeartbeatYetByItsStartTime() {
        UUID task = tasks.insert(tenant, "cloning", 1, 3600, ago(7), null);

        reaper.reap();

        assertThat(failuresOf(task))
                .singleElement()
                .satisfies(failed -> assertThat(failed.error()).startsWith("Worker lost:"));
    }

    @Test
    void failsATaskThatOverranItsTimeoutAsTimedOutEvenWithFreshHeartbeats() {
        UUID task = tasks.insert(tenant, "running", 2, 60, ago(4), ago(0));

        reaper.reap();

        assertThat(failuresOf(task)).singleElement().satisfies(failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.WORKER_LOST);
            assertThat(failed.iteration()).isEqualTo(2);
            assertThat(failed.error())
                    .startsWith("Timed out (worker lost):")
                    .contains("timeout of 60 s")
                    .contains("within a further 2 min");
        });
    }

    @Test
    void judgesAFollowUpByItsOwnStartNotTheFirstIterations() {
        UUID task = tasks.insert(tenant, "running", 2, 600, ago(90), ago(0));
        jdbc.sql("""
                        insert into task_iterations (task_id, number, tenant_id, prompt, status, created_at, started_at)
                        values (?, 2, ?, 'more', 'running', now(), now() - interval '1 minute')""").params(task, tenant).update();

        reaper.reap();

        assertThat(failuresOf(task)).isEmpty();
    }

    @Test
    void failsAFollowUpThatTheWorkspacesWorkerNeverPickedUp() {
        UUID task = tasks.insert(tenant, "pending", 2, 600, null, ago(6));

        reaper.reap();

        assertThat(failuresOf(task)).singleElement().satisfies(failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.WORKSPACE_LOST);
            assertThat(failed.iteration()).isEqualTo(2);
            assertThat(failed.error())
                    .startsWith("Workspace lost: iteration 2 was sent")
                    .contains("worker-7");
        });
    }

    @Test
    void leavesAFollowUpWaitingForAdmissionAloneHoweverLongItWaits() {
        UUID task = tasks.insert(tenant, "pending", 2, 600, null, ago(60));
        tasks.admittedAt(task, null);

        reaper.reap();

        assertThat(failuresOf(task)).isEmpty();
    }

    @Test
    void judgesAnAdmittedFollowUpFromItsAdmissionNotFromItsInstruction() {
        UUID task = tasks.insert(tenant, "pending", 2, 600, null, ago(60));
        tasks.admittedAt(task, ago(1));

        reaper.reap();

        assertThat(failuresOf(task)).isEmpty();

        tasks.admittedAt(task, ago(6));

        reaper.reap();

        assertThat(failuresOf(task)).singleElement().satisfies(failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.WORKSPACE_LOST);
            assertThat(failed.error()).startsWith("Workspace lost: iteration 2 was sent");
        });
    }

    @Test
    void leavesTasksWithFreshHeartbeatsAndFinishedTasksAlone() {
        UUID fresh = tasks.insert(tenant, "running", 1, 3600, ago(10), ago(1));
        UUID completed = tasks.insert(tenant, "completed", 1, 60, ago(60), ago(59));
        UUID failed = tasks.insert(tenant, "failed", 1, 60, ago(60), ago(59));
        UUID pending = tasks.insert(tenant, "pending", 1, 60, null, null);
        UUID stuck = tasks.insert(tenant, "running", 1, 3600, ago(30), ago(10));

        reaper.reap();

        List<ConsumerRecord<String, byte[]>> all = topic.readAll();
        assertThat(all).extracting(ConsumerRecord::key).contains(stuck.toString());
        assertThat(all)
                .extracting(ConsumerRecord::key)
                .doesNotContain(fresh.toString(), completed.toString(), failed.toString(), pending.toString());
    }

    @Test
    void publishesTheSameEnvelopeIdWhenItFiresTwice() {
        UUID task = tasks.insert(tenant, "running", 4, 3600, ago(30), ago(10));

        reaper.reap();
        reaper.reap();

        List<Envelope<TaskEvent>> envelopes = recordsOf(task).stream()
                .map(record -> codec.decodeTaskEvent(record.value()))
                .toList();
        assertThat(envelopes).hasSize(2);
        assertThat(envelopes)
                .extracting(Envelope::id)
                .containsOnly(UUID.nameUUIDFromBytes(("reaper:" + task + ":4").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void givesANewIterationOfTheSameTaskItsOwnEventId() {
        UUID task = UUID.randomUUID();

        assertThat(StuckTaskReaper.eventId(task, 1))
                .isEqualTo(StuckTaskReaper.eventId(task, 1))
                .isNotEqualTo(StuckTaskReaper.eventId(task, 2));
    }

    private List<ConsumerRecord<String, byte[]>> recordsOf(UUID task) {
        return topic.readAll().stream()
                .filter(record -> record.key().equals(task.toString()))
                .toList();
    }

    private List<TaskFailed> failuresOf(UUID task) {
        return recordsOf(task).stream()
                .map(record ->
                        (TaskFailed) codec.decodeTaskEvent(record.value()).payload())
                .toList();
    }

    private static Instant ago(int minutes) {
        return Instant.now().minus(Duration.ofMinutes(minutes));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
