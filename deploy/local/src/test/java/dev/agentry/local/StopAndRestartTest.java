package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.testkit.TestGitRepository;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform as {@code deploy/local/run} runs it, in a JVM of its own, stopped by signals at the points of its life
 * that matter (while PostgreSQL and Kafka are up and the api starts; while the worker starts; under load; idle) and
 * killed with {@code kill -9}, then started again on the same data: it always stops everything it started, and always
 * starts again, with the tasks it had accepted still there and finishing. Linux only: it finds the PostgreSQL processes
 * working in the data directory through {@code /proc}.
 */
@EnabledOnOs(OS.LINUX)
class StopAndRestartTest {

    private static final Duration START = Duration.ofSeconds(180);
    private static final Duration FINISH = Duration.ofSeconds(150);

    @TempDir
    Path dataDir;

    private TestGitRepository repository;
    private final List<PlatformProcess> processes = new ArrayList<>();

    @BeforeEach
    void repository() {
        repository = TestGitRepository.withReadme();
    }

    @AfterEach
    void leaveNothingRunning() {
        processes.forEach(PlatformProcess::close);
        PlatformProcess.postgresServing(postgresDir()).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void stopsEverythingItStartedWheneverItIsSignalledAndStartsAgainOnItsData() {
        // SIGINT (Ctrl-C) once PostgreSQL and Kafka are up, while the api starts.
        PlatformProcess first = start();
        first.awaitLine("Starting service api.", START);
        Duration stop = first.signal("INT");
        assertStoppedCleanly(first, stop);

        // SIGTERM while the worker starts (issue 22): /ready names what is not up yet.
        PlatformProcess second = start();
        second.awaitLine("Starting service worker.", START);
        HttpResponse<String> ready = second.client().send("GET", "/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"api\":\"up\"").contains("\"scheduler\":\"not started\"");
        assertThat(second.hasLine("Agentry is running.")).isFalse();
        stop = second.signal("TERM");
        assertStoppedCleanly(second, stop);
        assertThat(second.console()).contains("Service api stopped.");

        // Under load: tasks running and queued.
        PlatformProcess third = startUntilRunning();
        assertThat(third.client().send("GET", "/ready", null).statusCode()).isEqualTo(200);
        PlatformClient client = third.client();
        List<String> tasks = submitSleepingTasks(client, 6);
        await().atMost(FINISH)
                .until(() -> tasks.stream().anyMatch(id -> client.status(id).equals("running")));
        stop = third.signal("TERM");
        assertStoppedCleanly(third, stop);
        assertThat(third.console()).contains("Service worker stopped.", "Service scheduler stopped.");

        // Started again on the same data: every accepted task is there and finishes; then an idle stop.
        PlatformProcess fourth = startUntilRunning();
        PlatformClient again = fourth.client();
        await().atMost(FINISH)
                .until(() -> tasks.stream().allMatch(id -> again.status(id).equals("completed")));
        stop = fourth.signal("TERM");
        assertStoppedCleanly(fourth, stop);
    }

    @Test
    void afterKillMinus9StopsThePostgresLeftBehindRecoversKafkaAndFinishesTheTasks() {
        PlatformProcess first = startUntilRunning();
        PlatformClient client = first.client();
        List<String> tasks = submitSleepingTasks(client, 6);
        await().atMost(FINISH)
                .until(() -> tasks.stream().anyMatch(id -> client.status(id).equals("running")));
        first.kill();
        // What issue 22 saw: the PostgreSQL the platform started outlives it.
        assertThat(PlatformProcess.postgresServing(postgresDir())).isNotEmpty();

        PlatformProcess second = startUntilRunning();
        assertThat(second.console())
                .contains("left running by an earlier run still serves")
                .contains("was not closed cleanly (the platform was killed); Kafka recovers it.");
        PlatformClient again = second.client();
        await().atMost(FINISH)
                .until(() -> tasks.stream().allMatch(id -> again.status(id).equals("completed")));
        Duration stop = second.signal("TERM");
        assertStoppedCleanly(second, stop);
    }

    private PlatformProcess start() {
        PlatformProcess process = PlatformProcess.start(dataDir);
        processes.add(process);
        return process;
    }

    /** Started, and the banner says so: it prints only once every service is up. */
    private PlatformProcess startUntilRunning() {
        PlatformProcess process = start();
        process.awaitLine("Agentry is running.", START);
        return process;
    }

    private List<String> submitSleepingTasks(PlatformClient client, int count) {
        String body = """
                {"repo_url":"%s","prompt":"sleep 4; echo slept","config":{"cli":"command","timeout_seconds":120}}""".formatted(repository.url());
        return IntStream.range(0, count).mapToObj(i -> client.submit(body)).toList();
    }

    private void assertStoppedCleanly(PlatformProcess process, Duration took) {
        assertThat(took).isLessThan(Startup.STOP_BOUND);
        assertThat(process.console())
                .contains("Stop requested: stopping the local platform")
                .contains("Stopping the embedded PostgreSQL on port")
                .contains("The local platform has stopped");
        assertThat(PlatformProcess.postgresServing(postgresDir())).isEmpty();
        assertThat(Files.exists(postgresDir().resolve("postmaster.pid"))).isFalse();
    }

    private Path postgresDir() {
        return dataDir.resolve("postgres");
    }
}
