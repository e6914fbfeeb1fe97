package dev.agentry.worker;

import static dev.agentry.worker.TaskTopics.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Topics;
import dev.agentry.events.task.CancelTask;
import dev.agentry.events.task.DeleteWorkspace;
import dev.agentry.events.task.RunIteration;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.WorkspaceRemoved;
import dev.agentry.events.task.WorkspaceReported;
import dev.agentry.testkit.TestGitRepository;
import dev.agentry.worker.execution.Cancellations;
import dev.agentry.worker.workspace.Workspaces;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** What a worker does with the control topic, and how it keeps its workspaces, driven through Kafka. */
class TaskControlTest {

    private static final String WORKER_ID = "worker-control";
    private static ConfigurableApplicationContext worker;
    private static TaskTopics topics;
    private static TestGitRepository repository;
    private static Path root;

    @BeforeAll
    static void startWorker() {
        topics = new TaskTopics();
        Map<String, String> properties = Workers.properties(WORKER_ID);
        properties.put("agentry.worker.workspace-cleanup-interval", "300ms");
        properties.put("agentry.worker.workspace-report-interval", "500ms");
        root = Path.of(properties.get("agentry.worker.workspace-root"));
        worker = Workers.start(properties);
        repository = TestGitRepository.withReadme();
    }

    @AfterAll
    static void stopWorker() throws InterruptedException {
        worker.close();
        topics.close();
    }

    @Test
    void cancellingARunningTaskKillsEveryProcessOfItsTreeWithinFiveSeconds() {
        // Found on the host by their unique sleep: inside the sandbox's PID namespace $! is not a host PID.
        String marker = TaskExecutionTest.uniqueSleep();
        UUID taskId = topics.send(command(
                repository.url(), "sleep " + marker + " & sh -c 'sleep " + marker + "' & echo started; wait", 120));
        // bwrap, its init, the task's shell, the inner shell and both sleeps.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> TaskExecutionTest.processesMentioning(marker).size() >= 4);
        List<Long> pids = TaskExecutionTest.processesMentioning(marker);
        assertThat(pids).allMatch(TaskExecutionTest::running);

        Instant cancelled = Instant.now();
        topics.control(taskId, new CancelTask(1));

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(TaskExecutionTest::running));
        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(5));
        assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(6));
        assertThat(terminal).isInstanceOfSatisfying(TaskFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CANCELLED);
            assertThat(failed.error()).isEqualTo("cancelled");
        });
    }

    @Test
    void aTaskCancelledBeforeAnyWorkerTookItNeverStarts() {
        UUID taskId = UUID.randomUUID();
        double skippedBefore = skippedCancelled();
        topics.control(taskId, new CancelTask(1));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> worker.getBean(Cancellations.class).isCancelled(taskId, 1));

        topics.send(taskId, command(repository.url(), "echo should-not-run", 60), null);

        await().atMost(Duration.ofSeconds(20)).until(() -> skippedCancelled() > skippedBefore);
        assertThat(topics.events(taskId)).isEmpty();
        assertThat(root.resolve(taskId.toString())).doesNotExist();
    }

    @Test
    void sendsAnUndecodableControlRecordToTheDeadLetterTopicAndActsOnTheNext() {
        String key = UUID.randomUUID().toString();
        UUID taskId = UUID.randomUUID();
        double before = TaskExecutionTest.deadLetters(worker, Topics.TASK_CONTROL);

        topics.sendUndecodable(Topics.TASK_CONTROL, key);
        topics.control(taskId, new CancelTask(1));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> worker.getBean(Cancellations.class).isCancelled(taskId, 1));
        ConsumerRecord<String, byte[]> dead = TaskTopics.awaitDeadLetter(Topics.TASK_CONTROL, key);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> TaskExecutionTest.deadLetters(worker, Topics.TASK_CONTROL) == before + 1);
    }

    @Test
    void aFollowUpRunsOnlyOnTheWorkerNamedInItInTheWorkspaceTheFirstIterationLeft() {
        UUID taskId = UUID.randomUUID();
        topics.send(taskId, command(repository.url(), "echo first > FIRST.txt; echo one", 60), null);
        assertThat(topics.awaitTerminal(taskId, Duration.ofSeconds(30))).isInstanceOf(TaskCompleted.class);
        assertThat(topics.workspaceEvents(taskId)).first().isInstanceOfSatisfying(WorkspaceReported.class, reported -> {
            assertThat(reported.workerId()).isEqualTo(WORKER_ID);
            assertThat(reported.sizeBytes()).isPositive();
        });

        topics.control(taskId, new RunIteration("some-other-worker", iteration(2, "echo wrong > WRONG.txt")));
        topics.control(
                taskId,
                new RunIteration(WORKER_ID, iteration(2, "test -f FIRST.txt && echo second > SECOND.txt; echo two")));

        TaskEvent second = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> topics.events(taskId).stream()
                                .filter(e -> e.terminal() && e.iteration() == 2)
                                .findFirst(),
                        t -> t.isPresent())
                .orElseThrow();
        assertThat(second).isInstanceOfSatisfying(TaskCompleted.class, completed -> {
            assertThat(completed.result()).isEqualTo("two");
            // Only this iteration's change: SECOND.txt, not FIRST.txt again.
            assertThat(completed.changes().filesChanged()).isEqualTo(1);
        });
        assertThat(topics.progress(taskId))
                .filteredOn(e -> e instanceof TaskStarted)
                .containsExactly(
                        new TaskStarted(1, WORKER_ID, 1, "cloning"), new TaskStarted(2, WORKER_ID, 1, "running"));
        assertThat(topics.progress(taskId))
                .filteredOn(e -> e instanceof TaskRunning)
                .hasSize(2);
        assertThat(root.resolve(taskId.toString()).resolve("SECOND.txt")).exists();
        assertThat(root.resolve(taskId.toString()).resolve("WRONG.txt")).doesNotExist();
        assertThat(topics.events(taskId).stream().filter(TaskEvent::terminal)).hasSize(2);
    }

    @Test
    void aFollowUpWhoseWorkspaceIsGoneFailsAsWorkspaceLostWithoutCloning() {
        UUID taskId = UUID.randomUUID();

        topics.control(taskId, new RunIteration(WORKER_ID, iteration(2, "echo hi")));

        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(20));
        assertThat(terminal).isInstanceOfSatisfying(TaskFailed.class, failed -> {
            assertThat(failed.iteration()).isEqualTo(2);
            assertThat(failed.reason()).isEqualTo(FailureReason.WORKSPACE_LOST);
            assertThat(failed.error())
                    .isEqualTo("workspace of task " + taskId + " is no longer on worker " + WORKER_ID
                            + "; submit a new task");
        });
        assertThat(root.resolve(taskId.toString())).doesNotExist();
    }

    @Test
    void deletingAWorkspaceRemovesItsDirectoryAndReportsIt() {
        UUID taskId = topics.send(command(repository.url(), "echo x > X.txt", 60));
        assertThat(topics.awaitTerminal(taskId, Duration.ofSeconds(30))).isInstanceOf(TaskCompleted.class);
        Path workspace = root.resolve(taskId.toString());
        assertThat(workspace).isDirectory();

        topics.control(taskId, new DeleteWorkspace("some-other-worker"));
        topics.control(taskId, new DeleteWorkspace(WORKER_ID));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> topics.workspaceEvents(taskId).contains(new WorkspaceRemoved(WORKER_ID, "deleted")));
        assertThat(workspace).doesNotExist();
        assertThat(root.resolve(taskId + ".json")).doesNotExist();
    }

    @Test
    void workspacesUnusedPastTheMaximumAgeExpireButNotWhileATaskRunsInThem() throws IOException {
        Workspaces workspaces = worker.getBean(Workspaces.class);
        Instant longAgo = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.MILLIS);
        // A workspace left long ago, as a worker that ran it would have left it.
        UUID old = UUID.randomUUID();
        Files.createDirectories(root.resolve(old.toString()).resolve(".git"));
        Files.writeString(root.resolve(old.toString()).resolve("file.txt"), "left behind");
        writeMetadata(old, longAgo);
        // A task running right now in a workspace that looks just as old.
        UUID busy = topics.send(command(repository.url(), "sleep 600", 120));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topics.events(busy).stream().anyMatch(e -> e instanceof TaskRunning));
        writeMetadata(busy, longAgo);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> topics.workspaceEvents(old).contains(new WorkspaceRemoved(WORKER_ID, "expired")));
        assertThat(root.resolve(old.toString())).doesNotExist();
        assertThat(workspaces.metadata(old)).isEmpty();
        // Several cleanups have passed by now; the running task's workspace is still there.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(root.resolve(busy.toString())).isDirectory());
        assertThat(topics.workspaceEvents(busy)).noneMatch(e -> e instanceof WorkspaceRemoved);

        topics.control(busy, new CancelTask(1));
        assertThat(topics.awaitTerminal(busy, Duration.ofSeconds(10))).isInstanceOf(TaskFailed.class);
    }

    @Test
    void everyWorkspaceOnDiskIsReportedPeriodicallyAndCountedInTheGauges() throws IOException {
        UUID taskId = UUID.randomUUID();
        Files.createDirectories(root.resolve(taskId.toString()).resolve(".git"));
        Files.writeString(root.resolve(taskId.toString()).resolve("data.bin"), "x".repeat(10_000));
        Instant recently = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        writeMetadata(taskId, recently);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> topics.workspaceEvents(taskId).stream()
                        .anyMatch(e -> e instanceof WorkspaceReported r && r.sizeBytes() >= 10_000));
        MeterRegistry meters = worker.getBean(MeterRegistry.class);
        assertThat(meters.get("agentry.worker.workspace.disk.bytes").gauge().value())
                .isGreaterThanOrEqualTo(10_000);
        assertThat(meters.get("agentry.worker.workspace.count").gauge().value()).isGreaterThanOrEqualTo(1);
    }

    private static void writeMetadata(UUID taskId, Instant lastUsed) throws IOException {
        Files.writeString(root.resolve(taskId + ".json"), """
                {"tenant_id":"tenant-test","created_at":"%s","last_used_at":"%s","iteration":1}""".formatted(lastUsed, lastUsed));
    }

    private static RunTask iteration(int number, String prompt) {
        return TaskTopics.run(number, repository.url(), prompt, "command", 60);
    }

    private static double skippedCancelled() {
        var counter = worker.getBean(MeterRegistry.class)
                .find("agentry.worker.tasks")
                .tag("outcome", "skipped_cancelled")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
