package dev.agentry.worker;

import static dev.agentry.worker.TaskTopics.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.testkit.TestGitRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

class WorkerCrashTest {

    @Test
    void redeliversATaskToAnotherWorkerWhenItsWorkerIsKilledMidRun() throws Exception {
        TestGitRepository repository = TestGitRepository.withReadme();
        Path marker = Workers.tempDir("agentry-crash").resolve("first-run");
        // The first run leaves a marker and hangs; a second run finds the marker and finishes.
        String prompt = "if [ -e " + marker + " ]; then echo second run; else touch " + marker + "; sleep 600; fi";
        Path log = Workers.tempDir("agentry-crash-log").resolve("worker.log");
        try (TaskTopics topics = new TaskTopics()) {
            Process doomed = Workers.startJvm(Workers.unconfined("worker-doomed"), log);
            ConfigurableApplicationContext survivor = null;
            try {
                UUID taskId = topics.send(command(repository.url(), prompt, 120));
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> topics.events(taskId).stream()
                                .anyMatch(e -> e instanceof TaskRunning r
                                        && r.workerId().equals("worker-doomed")));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> marker.toFile().exists());

                List<ProcessHandle> children = doomed.descendants().toList();
                doomed.destroyForcibly().waitFor();
                children.forEach(ProcessHandle::destroyForcibly);
                survivor = Workers.start(Workers.unconfined("worker-survivor"));

                TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(60));

                assertThat(terminal)
                        .isInstanceOfSatisfying(
                                TaskCompleted.class, c -> assertThat(c.result()).isEqualTo("second run"));
                List<TaskStarted> starts = topics.events(taskId).stream()
                        .filter(e -> e instanceof TaskStarted)
                        .map(e -> (TaskStarted) e)
                        .toList();
                assertThat(starts).hasSize(2);
                assertThat(starts.getFirst()).isEqualTo(new TaskStarted(1, "worker-doomed", 1, "cloning"));
                // At least the second delivery: when the dead worker's slot had polled the record back after a
                // lock renewal just before the kill, the broker has counted that acquisition too.
                assertThat(starts.getLast().workerId()).isEqualTo("worker-survivor");
                assertThat(starts.getLast().attempt()).isBetween(2, 3);
            } finally {
                doomed.destroyForcibly();
                if (survivor != null) {
                    survivor.close();
                }
            }
        }
    }
}
