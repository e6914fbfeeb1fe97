package dev.agentry.worker;

import static dev.agentry.worker.TaskTopics.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.testkit.TestGitRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a scale-down (KEDA, a rollout, a node drain) does to a busy worker: Kubernetes sends SIGTERM and waits
 * {@code terminationGracePeriodSeconds}. The worker stops acquiring, kills the run and releases its record, and
 * another worker acquires it at once (well before the acquisition lock would have expired) and runs it to the end.
 */
class WorkerSigtermHandoverTest {

    /** Long enough that a handover within it can only come from the release, not from the lock running out. */
    private static final Duration LOCK = Duration.ofSeconds(30);

    @Test
    void aWorkerStoppedBySigtermMidTaskHandsTheTaskToAnotherWorkerAtOnce() throws Exception {
        TestGitRepository repository = TestGitRepository.withReadme();
        Path marker = Workers.tempDir("agentry-sigterm").resolve("first-run");
        String prompt = "if [ -e " + marker + " ]; then echo second run; else touch " + marker + "; sleep 600; fi";
        Path log = Workers.tempDir("agentry-sigterm-log").resolve("worker.log");
        try (TaskTopics topics = new TaskTopics()) {
            Process stopping = Workers.startJvm(withLock("worker-stopping"), log);
            ConfigurableApplicationContext other = null;
            try {
                UUID taskId = topics.send(command(repository.url(), prompt, 300));
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> topics.events(taskId).stream()
                                .anyMatch(e -> e instanceof TaskRunning r
                                        && r.workerId().equals("worker-stopping")));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> marker.toFile().exists());
                other = Workers.start(withLock("worker-other"));

                long signalled = System.nanoTime();
                stopping.destroy(); // SIGTERM, as the kubelet sends it
                await().atMost(LOCK.minusSeconds(5))
                        .until(() -> topics.events(taskId).stream()
                                .anyMatch(e -> e instanceof TaskStarted s
                                        && s.workerId().equals("worker-other")));
                Duration handover = Duration.ofNanos(System.nanoTime() - signalled);
                TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(60));

                assertThat(stopping.waitFor(60, TimeUnit.SECONDS))
                        .as("the worker exits within the grace period of deploy/kubernetes (60 s)")
                        .isTrue();
                assertThat(handover).isLessThan(LOCK);
                assertThat(terminal)
                        .isInstanceOfSatisfying(
                                TaskCompleted.class, c -> assertThat(c.result()).isEqualTo("second run"));
                List<TaskEvent> events = topics.events(taskId);
                assertThat(events).noneMatch(TaskFailed.class::isInstance);
                assertThat(events.stream().filter(TaskStarted.class::isInstance).map(e -> ((TaskStarted) e).workerId()))
                        .containsExactly("worker-stopping", "worker-other");
                assertThat(Files.readString(log)).contains("stopped taking commands");
            } finally {
                stopping.destroyForcibly();
                if (other != null) {
                    other.close();
                }
            }
        }
    }

    private static Map<String, String> withLock(String workerId) {
        Map<String, String> properties = Workers.unconfined(workerId);
        properties.put("agentry.worker.lock-duration", LOCK.toSeconds() + "s");
        return properties;
    }
}
