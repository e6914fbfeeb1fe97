package dev.agentry.worker;

import static dev.agentry.worker.TaskTopics.command;
import static dev.agentry.worker.TaskTopics.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.testkit.TestGitRepository;
import dev.agentry.testkit.TestKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hostile runs of the {@code command} runtime: a task's agent tries to read what is not its own (the worker's
 * environment and files, another running task's workspace, Kafka and PostgreSQL) and to make the worker's own git
 * run its code. Each
 * attempt is made for real inside the bubblewrap sandbox, and each fails.
 */
class SandboxedRunTest {

    private static final String WORKER_ID = "worker-sandbox";
    /** What a sandboxed shell may find in its environment: the sandbox's base, the git identity, the shell's own. */
    private static final Set<String> EXPECTED_ENV = Set.of(
            "PATH",
            "HOME",
            "TMPDIR",
            "LANG",
            "LC_ALL",
            "LC_CTYPE",
            "TZ",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "NODE_EXTRA_CA_CERTS",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "no_proxy",
            "GIT_AUTHOR_NAME",
            "GIT_AUTHOR_EMAIL",
            "GIT_COMMITTER_NAME",
            "GIT_COMMITTER_EMAIL",
            "PWD",
            "OLDPWD",
            "SHLVL",
            "_");

    private static ConfigurableApplicationContext worker;
    private static TaskTopics topics;
    private static TestGitRepository repository;
    private static Path root;

    @BeforeAll
    static void startWorker() {
        topics = new TaskTopics();
        Map<String, String> properties = Workers.properties(WORKER_ID);
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
    void anAgentSeesNeitherTheWorkerNorAnotherRunningTask() throws IOException, URISyntaxException {
        String secret = "secret-" + UUID.randomUUID();
        UUID other = topics.send(command(repository.url(), "echo " + secret + " > secret.txt; sleep 15", 60));
        Path otherSecret = root.resolve(other.toString()).resolve("secret.txt");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(otherSecret));
        Path workerFile = Path.of(WorkerApplication.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("worker.yml");
        assertThat(workerFile).exists();

        UUID hostile = topics.send(command(
                repository.url(),
                String.join(
                        "\n",
                        "tr '\\0' '\\n' < /proc/1/environ | sed 's/^/pid1: /'",
                        "for f in /proc/[0-9]*/cmdline; do printf 'proc: '; tr '\\0' ' ' < $f; echo; done",
                        "env | sed 's/^/env: /'",
                        "ls -a " + root + " 2>&1 | sed 's/^/root: /'",
                        "cat " + otherSecret + " 2>&1 | sed 's/^/other: /'",
                        // A pattern that matches the secret without spelling it, so the shell's own command line does
                        // not.
                        "grep -rs 'secre[t]-" + secret.substring("secret-".length()) + "' /tmp /etc 2>/dev/null"
                                + " | sed 's/^/found: /'",
                        "cat " + root.resolve(".agentry/git-askpass.sh") + " 2>&1 | sed 's/^/askpass: /'",
                        "cat " + workerFile + " 2>&1 | sed 's/^/own: /'",
                        "ls /root 2>&1 | sed 's/^/home: /'",
                        "echo done"),
                60));
        TaskEvent terminal = topics.awaitTerminal(hostile, Duration.ofSeconds(60));

        assertThat(terminal).isInstanceOf(TaskCompleted.class);
        List<String> out = lines(topics.events(hostile), "cli");
        assertThat(out).contains("done");
        assertThat(String.join("\n", out))
                .doesNotContain(secret)
                .doesNotContain(Workers.SEALING_KEYS)
                .doesNotContain("surefire");
        // /proc holds only the sandbox's own processes: bwrap's init, the shell and what it runs.
        assertThat(prefixed(out, "proc: ")).allSatisfy(line -> assertThat(line).doesNotContain("java"));
        // Neither the sandbox's init nor the shell has any variable of the worker beyond the sandbox's own.
        Set<String> names = prefixed(out, "env: ").stream()
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toSet());
        assertThat(EXPECTED_ENV).containsAll(names);
        Set<String> pid1 = prefixed(out, "pid1: ").stream()
                .map(line -> line.substring(0, line.indexOf('=')))
                .collect(Collectors.toSet());
        assertThat(EXPECTED_ENV).containsAll(pid1);
        for (Map.Entry<String, String> variable : System.getenv().entrySet()) {
            if (!EXPECTED_ENV.contains(variable.getKey())) {
                assertThat(out).doesNotContain("env: " + variable.getKey() + "=" + variable.getValue());
            }
        }
        // The workspace root shows the hostile task's own workspace and nothing beside it.
        assertThat(prefixed(out, "root: ")).containsExactlyInAnyOrder(".", "..", hostile.toString());
        assertThat(prefixed(out, "other: ")).singleElement().asString().contains("No such file");
        assertThat(prefixed(out, "found: ")).isEmpty();
        assertThat(prefixed(out, "askpass: ")).singleElement().asString().contains("No such file");
        assertThat(prefixed(out, "own: ")).singleElement().asString().contains("No such file");
        assertThat(prefixed(out, "home: ")).singleElement().asString().contains("No such file");
        assertThat(Files.readString(otherSecret, StandardCharsets.UTF_8)).contains(secret);
        topics.awaitTerminal(other, Duration.ofSeconds(60));
    }

    @Test
    void hooksFiltersAndFsmonitorPlantedByTheAgentNeverRunInTheWorkersGit() throws IOException, InterruptedException {
        Path markers = Files.createTempDirectory("agentry-planted");
        String hook = "#!/bin/sh\\ntouch " + markers + "/$(basename $0)\\n";
        UUID taskId = topics.send(command(
                repository.url(),
                String.join(
                        "\n",
                        "set -e",
                        "for h in post-commit pre-commit commit-msg post-checkout reference-transaction; do",
                        "  printf '" + hook + "' > .git/hooks/$h; chmod +x .git/hooks/$h",
                        "done",
                        "printf '#!/bin/sh\\ntouch " + markers + "/fsmonitor\\n' > .git/fsmonitor.sh",
                        "chmod +x .git/fsmonitor.sh",
                        "git config core.fsmonitor \"$PWD/.git/fsmonitor.sh\"",
                        "git config core.hooksPath .git/hooks",
                        "printf '* filter=planted diff=planted\\n' > .gitattributes",
                        "git config filter.planted.clean 'touch " + markers + "/clean; cat'",
                        "git config filter.planted.smudge 'touch " + markers + "/smudge; cat'",
                        "git config filter.planted.process 'touch " + markers + "/process'",
                        "git config diff.planted.textconv 'touch " + markers + "/textconv; cat'",
                        "git config diff.planted.command 'touch " + markers + "/diff'",
                        "git config diff.external 'touch " + markers + "/external'",
                        "git config core.pager 'touch " + markers + "/pager; cat'",
                        "git config alias.commit '!touch " + markers + "/alias'",
                        "echo changed >> README.md",
                        "echo planted"),
                60));

        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(60));

        assertThat(terminal)
                .isInstanceOfSatisfying(
                        TaskCompleted.class,
                        completed ->
                                assertThat(completed.changes().filesChanged()).isEqualTo(2));
        // The worker did commit the agent's work on the task branch, and nothing it planted ran.
        Process log = new ProcessBuilder(
                        "git",
                        "-c",
                        "core.fsmonitor=false",
                        "-C",
                        root.resolve(taskId.toString()).toString(),
                        "log",
                        "-1",
                        "--format=%s",
                        "--name-only")
                .redirectErrorStream(true)
                .start();
        String committed = new String(log.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        log.waitFor();
        assertThat(committed).contains("README.md").contains(".gitattributes");
        try (var planted = Files.list(markers)) {
            assertThat(planted).isEmpty();
        }
    }

    @Test
    void theCommandRuntimeReachesNeitherKafkaNorPostgresNorAnythingElse() throws IOException {
        int kafka = Integer.parseInt(TestKafka.bootstrapServers().replaceAll(".*:", ""));
        // The worker itself reaches Kafka on that port; the agent must not.
        try (Socket reachable = new Socket("127.0.0.1", kafka)) {
            assertThat(reachable.isConnected()).isTrue();
        }
        boolean postgres = reachable(5432);
        String probe = "import socket,sys\nfor port in sys.argv[1:]:\n  try:\n"
                + "    socket.create_connection(('127.0.0.1', int(port)), 2).close(); print('connected', port)\n"
                + "  except OSError as e: print('refused', port, e)\n";
        UUID taskId = topics.send(command(
                repository.url(),
                "printf \"" + probe + "\" > /tmp/probe.py; python3 /tmp/probe.py " + kafka + " 5432; echo done",
                60));

        TaskEvent terminal = topics.awaitTerminal(taskId, Duration.ofSeconds(60));

        assertThat(terminal).isInstanceOf(TaskCompleted.class);
        List<String> out = lines(topics.events(taskId), "cli");
        assertThat(out).contains("done").noneMatch(line -> line.startsWith("connected"));
        assertThat(out).anyMatch(line -> line.startsWith("refused " + kafka));
        if (postgres) {
            assertThat(out).anyMatch(line -> line.startsWith("refused 5432"));
        }
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> prefixed(List<String> lines, String prefix) {
        return lines.stream()
                .filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()))
                .toList();
    }
}
