package dev.agentry.worker;

import static dev.agentry.worker.TaskTopics.command;
import static dev.agentry.worker.TaskTopics.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.agentry.events.Topics;
import dev.agentry.events.task.RunTask;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.events.task.TaskHeartbeat;
import dev.agentry.events.task.TaskOutput;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.testkit.TestGitRepository;
import dev.agentry.worker.execution.TaskExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A worker in this JVM, driven through Kafka exactly as the platform drives it. */
class TaskExecutionTest {

    private static final String WORKER_ID = "worker-it";
    private static ConfigurableApplicationContext worker;
    private static TaskTopics topics;
    private static TestGitRepository repository;

    @BeforeAll
    static void startWorker() {
        topics = new TaskTopics();
        worker = Workers.start(WORKER_ID);
        repository = TestGitRepository.withReadme();
    }

    @AfterAll
    static void stopWorker() throws InterruptedException {
        worker.close();
        topics.close();
    }

    @Test
    void runsACommandInTheClonedRepositoryAndReportsItsChanges() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        UUID taskId = topics.send(
                UUID.randomUUID(),
                command(repository.url(), "echo more >> README.md; echo new > NEW.txt; echo one; echo two", 60),
                traceparent);

        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(30));

        assertThat(terminal).isInstanceOfSatisfying(TaskCompleted.class, completed -> {
            assertThat(completed.iteration()).isEqualTo(1);
            assertThat(completed.result()).isEqualTo("two");
            assertThat(completed.changes().filesChanged()).isEqualTo(2);
            assertThat(completed.changes().insertions()).isEqualTo(2);
        });
        List<TaskEvent> events = topics.progress(taskId);
        assertThat(events.getFirst()).isEqualTo(new TaskStarted(1, WORKER_ID, 1, "cloning"));
        int running = indexOf(events, TaskRunning.class);
        assertThat(lines(events.subList(0, running), "git")).anyMatch(line -> line.startsWith("Cloning into"));
        assertThat(lines(events.subList(running, events.size()), "cli")).containsExactly("one", "two");
        assertThat(events.getLast()).isSameAs(terminal);
        assertThat(topics.recorded(taskId))
                .allSatisfy(r -> assertThat(r.traceparent()).isEqualTo(traceparent));
    }

    @Test
    void failsWithTheCloneReasonAndKeepsTheTokenOutOfEventsAndArgv() throws IOException {
        String token = "ghp_" + UUID.randomUUID().toString().replace("-", "");
        List<String> authorizations = new CopyOnWriteArrayList<>();
        List<String> argvWithToken = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            // git is running right now: no process on the machine may show the token in its command line.
            ProcessHandle.allProcesses()
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(line -> line.contains(token))
                    .forEach(argvWithToken::add);
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/org/repo.git";
            RunTask task = new RunTask(
                    1,
                    url,
                    "true",
                    "command",
                    30,
                    null,
                    null,
                    null,
                    null,
                    List.of(),
                    Workers.SEALER.seal(token),
                    null,
                    null,
                    null,
                    List.of());

            UUID taskId = topics.send(task);
            TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(30));

            assertThat(terminal).isInstanceOfSatisfying(TaskFailed.class, failed -> {
                assertThat(failed.reason()).isEqualTo(FailureReason.CLONE);
                assertThat(failed.error()).startsWith("clone failed: ");
            });
            assertThat(authorizations)
                    .as("git got the token through GIT_ASKPASS")
                    .contains("Basic "
                            + Base64.getEncoder()
                                    .encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8)));
            assertThat(argvWithToken).isEmpty();
            assertThat(topics.allBytes(taskId)).doesNotContain(token);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void killsTheWholeProcessTreeWhenTheTaskTimesOut() {
        // Both processes ignore SIGTERM, so only the SIGKILL after the grace period ends them. Inside the sandbox's
        // PID namespace $! is not a host PID: the processes are found on the host by the unique sleep they run.
        String marker = uniqueSleep();
        UUID taskId = topics.send(
                command(repository.url(), "trap '' TERM; sleep " + marker + " & echo started; wait; wait", 2));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> processesMentioning(marker).size() >= 2);
        List<Long> pids = processesMentioning(marker);

        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(30));

        assertThat(terminal).isInstanceOfSatisfying(TaskFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(failed.error()).contains("timed out");
        });
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(TaskExecutionTest::running));
    }

    @Test
    void renewsTheLockSoATaskLongerThanTheLockRunsOnce() {
        // 5 s of work against a 2 s acquisition lock.
        UUID taskId = topics.send(command(repository.url(), "sleep 5; echo done", 60));

        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(30));

        assertThat(terminal).isInstanceOf(TaskCompleted.class);
        // Give a wrongful redelivery time to show itself.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(topics.events(taskId).stream()
                                .filter(e -> e instanceof TaskStarted)
                                .toList())
                        .containsExactly(new TaskStarted(1, WORKER_ID, 1, "cloning")));
        assertThat(topics.events(taskId).stream().filter(TaskEvent::terminal)).hasSize(1);
        assertThat(topics.events(taskId)).anyMatch(e -> e instanceof TaskHeartbeat h && h.attempt() == 1);
    }

    @Test
    void aLongTaskDoesNotHoldUpAnother() {
        UUID slow = topics.send(command(repository.url(), "sleep 600", 120));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> topics.events(slow).stream().anyMatch(e -> e instanceof TaskRunning));

        UUID quick = topics.send(command(repository.url(), "echo quick", 60));

        assertThat(topics.awaitTerminal(quick, Duration.ofSeconds(20))).isInstanceOf(TaskCompleted.class);
        assertThat(topics.events(slow)).noneMatch(TaskEvent::terminal);
        assertThat(worker.getBean(TaskExecutor.class).cancel(slow)).isTrue();
        assertThat(topics.awaitTerminal(slow, Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(
                        TaskFailed.class, f -> assertThat(f.error()).isEqualTo("cancelled"));
    }

    @Test
    void runsTheEchoRuntimeWithoutAWorkspace() {
        UUID taskId = topics.send(TaskTopics.run(1, "", "hello", "echo", 30));

        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(20));

        assertThat(terminal)
                .isInstanceOfSatisfying(
                        TaskCompleted.class, c -> assertThat(c.result()).isEqualTo("hello"));
        assertThat(topics.progress(taskId)).first().isEqualTo(new TaskStarted(1, WORKER_ID, 1, "running"));
        assertThat(topics.progress(taskId)).anyMatch(e -> e instanceof TaskOutput);
    }

    @Test
    void countsAndTimesEachRunByRuntimeAndOutcome() {
        long completedBefore = runs("echo", "completed");
        long invalidBefore = runs("no-such", "failed_invalid");

        topics.awaitTerminal(topics.send(TaskTopics.run(1, "", "timed", "echo", 30)), Duration.ofSeconds(20));
        topics.awaitTerminal(topics.send(TaskTopics.run(1, "", "x", "no-such", 30)), Duration.ofSeconds(20));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(runs("echo", "completed")).isEqualTo(completedBefore + 1);
            assertThat(runs("no-such", "failed_invalid")).isEqualTo(invalidBefore + 1);
        });
        MeterRegistry meters = worker.getBean(MeterRegistry.class);
        assertThat(meters.get("agentry.worker.tasks")
                        .tags("runtime", "echo", "outcome", "completed")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.get("agentry.worker.task.duration")
                        .tags("runtime", "echo", "outcome", "completed")
                        .timer()
                        .takeSnapshot()
                        .histogramCounts())
                .as("a histogram, so that p50 and p99 can be queried")
                .isNotEmpty();
    }

    /** Runs the worker timed with this runtime and outcome so far. */
    private static long runs(String runtime, String outcome) {
        var timer = worker.getBean(MeterRegistry.class)
                .find("agentry.worker.task.duration")
                .tags("runtime", runtime, "outcome", outcome)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void failsATaskForAnUnknownRuntimeAsInvalid() {
        UUID taskId = topics.send(TaskTopics.run(1, repository.url(), "x", "no-such", 30));

        assertThat(topics.awaitTerminal(taskId, Duration.ofSeconds(20)))
                .isEqualTo(new TaskFailed(1, "unknown runtime no-such", FailureReason.INVALID, null, null));
    }

    @Test
    void carriesNulsInvalidUtf8AndATenMegabyteLineSafelyAndCapped() {
        UUID taskId = topics.send(command(
                repository.url(),
                "printf 'a\\000b\\n\\377\\376bad\\n'; head -c 10485760 /dev/zero | tr '\\000' x; echo; echo last",
                60));

        assertThat(topics.awaitTerminal(taskId, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        TaskCompleted.class, c -> assertThat(c.result()).isEqualTo("last"));
        List<String> cli = lines(topics.progress(taskId), "cli");
        assertThat(cli).hasSize(4);
        assertThat(cli.get(0)).isEqualTo("a\uFFFDb");
        assertThat(cli.get(1)).isEqualTo("\uFFFD\uFFFDbad");
        assertThat(cli.get(2))
                .startsWith("xxxx")
                .endsWith(" … [line cut: " + (10_485_760 - 256 * 1024) + " more characters]")
                .hasSizeLessThan(256 * 1024 + 100);
        assertThat(cli.get(3)).isEqualTo("last");
    }

    @Test
    void rejectsAnUndecodableCommandAndGoesOnWithTheNext() {
        topics.sendRaw(new ProducerRecord<>(
                Topics.TASK_COMMANDS, UUID.randomUUID().toString(), "not json".getBytes(StandardCharsets.UTF_8)));
        UUID taskId = topics.send(command(repository.url(), "echo after", 30));

        assertThat(topics.awaitTerminal(taskId, Duration.ofSeconds(20))).isInstanceOf(TaskCompleted.class);
    }

    @Test
    void sendsAnUndecodableCommandToTheDeadLetterTopicCountsItAndRunsTheNext() {
        String key = UUID.randomUUID().toString();
        double before = deadLetters(worker, Topics.TASK_COMMANDS);
        topics.sendUndecodable(Topics.TASK_COMMANDS, key);
        UUID taskId = topics.send(command(repository.url(), "echo after the dead letter", 30));

        assertThat(topics.awaitTerminal(taskId, Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(
                        TaskCompleted.class, c -> assertThat(c.result()).isEqualTo("after the dead letter"));
        ConsumerRecord<String, byte[]> dead = TaskTopics.awaitDeadLetter(Topics.TASK_COMMANDS, key);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(dead.headers().lastHeader("kafka_dlt-original-topic").value())
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(Topics.TASK_COMMANDS);
        assertThat(deadLetters(worker, Topics.TASK_COMMANDS)).isEqualTo(before + 1);
    }

    /** {@code agentry_worker_dead_letters_total{topic}} of a worker. */
    static double deadLetters(ConfigurableApplicationContext worker, String topic) {
        var counter = worker.getBean(MeterRegistry.class)
                .find("agentry.worker.dead.letters")
                .tag("topic", topic)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void answersHealthReadinessAndMetrics() throws Exception {
        int port = Integer.parseInt(worker.getEnvironment().getProperty("local.server.port"));
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"kafka\"").contains("\"UP\"");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("agentry_worker_tasks_active");
        // Published once a run has finished; the echo run of another test or the one here.
        topics.awaitTerminal(topics.send(TaskTopics.run(1, "", "scraped", "echo", 30)), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body())
                        .contains("agentry_worker_task_duration_seconds_bucket{")
                        .contains("agentry_worker_tasks_total{outcome=\"completed\",runtime=\"echo\"}"));
    }

    private static int indexOf(List<TaskEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + events);
    }

    /** A sleep no other process on the machine runs, to find a sandboxed tree from the host. */
    static String uniqueSleep() {
        return "6" + (100000 + new java.util.Random().nextInt(800000));
    }

    /** Host PIDs of the running processes with an argument mentioning {@code marker} (bwrap, shells, sleeps). */
    static List<Long> processesMentioning(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> java.util.Arrays.stream(p.info().arguments().orElse(new String[0]))
                        .anyMatch(argument -> argument.contains(marker)))
                .map(ProcessHandle::pid)
                .filter(TaskExecutionTest::running)
                .toList();
    }

    /** Alive and not a zombie waiting for a parent that will never reap it. */
    static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
