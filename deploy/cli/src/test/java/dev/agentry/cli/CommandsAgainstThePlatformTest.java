package dev.agentry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.local.LocalPlatform;
import dev.agentry.local.LocalSettings;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestGitRepository;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code tasks} and {@code conversations} commands against the whole local platform (API, worker, scheduler on
 * the test broker and database): tasks run on the worker's {@code echo} and {@code command} runtimes, conversation
 * turns on its LLM runtime against a scripted Messages API. One platform for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandsAgainstThePlatformTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String NOWHERE = "https://example.invalid/cli.git";

    @TempDir
    static Path dataDir;

    private ScriptedMessagesApi model;
    private TestGitRepository repository;
    private LocalPlatform platform;

    @BeforeAll
    void startPlatform() {
        model = ScriptedMessagesApi.start();
        repository = TestGitRepository.withReadme();
        TestDatabase.Database database = TestDatabase.create();
        String run = UUID.randomUUID().toString();
        platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "cli-workers-" + run)
                .withProperty("agentry.worker.worker-id", "cli-worker-" + run)
                .withProperty("agentry.worker.kill-grace-period", "2s")
                .withProperty("agentry.api.projector-group", "cli-tasks-" + run)
                .withProperty("agentry.api.conversations.projector-group", "cli-conversations-" + run)
                .withProperty("agentry.api.conversations.firings-group", "cli-firings-" + run)
                .withProperty("agentry.worker.command.argv[0]", "sh")
                .withProperty("agentry.worker.command.argv[1]", "-c")
                .withProperty("agentry.worker.command.argv[2]", "{prompt}")
                .withProperty(
                        "agentry.worker.workspace-root",
                        dataDir.resolve("workspaces").toString())
                // Explicit, so a developer's own ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY are never used.
                .withProperty("agentry.worker.llm.anthropic.base-url", model.baseUrl())
                .withProperty("agentry.worker.llm.anthropic.api-key", "sk-ant-cli-test"));
    }

    @AfterAll
    void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
    }

    private CliRun cli() {
        return CliRun.against(platform.apiUrl(), platform.bootstrapToken());
    }

    @Test
    void submitWatchesATaskToItsEndThenGetAndListShowIt() {
        String marker = "hello from the command line " + UUID.randomUUID();

        CliRun.Result submitted = cli().run("tasks", "submit", "--repo", NOWHERE, "--cli", "echo", "--watch", marker);

        assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(ExitCode.OK);
        String id = submitted.out().lines().findFirst().orElseThrow().split("\\s+")[0];
        assertThat(submitted.out()).contains(marker).contains("Task ended: completed.");

        CliRun.Result got = cli().run("tasks", "get", id);
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.out()).contains("status: completed").contains("result: " + marker);

        JsonNode json = cli().run("--output", "json", "tasks", "get", id).json();
        assertThat(json.get("id").asString()).isEqualTo(id);
        assertThat(json.get("prompt").asString()).isEqualTo(marker);

        CliRun.Result listed = cli().run("tasks", "list", "--status", "completed", "--limit", "100");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).startsWith("ID").contains(id);
    }

    @Test
    void listPagesWithTheCursorTheApiGives() {
        for (int i = 0; i < 3; i++) {
            assertThat(cli().run("tasks", "submit", "--repo", NOWHERE, "--cli", "echo", "page " + i)
                            .exitCode())
                    .isZero();
        }

        JsonNode first =
                cli().run("tasks", "list", "--limit", "2", "--output", "json").json();
        assertThat(first.get("tasks")).hasSize(2);
        String cursor = first.get("next_cursor").asString();
        CliRun.Result text = cli().run("tasks", "list", "--limit", "2");
        assertThat(text.out()).contains("next page: --cursor " + cursor);
        JsonNode second = cli().run("tasks", "list", "--limit", "2", "--cursor", cursor, "-o", "json")
                .json();

        assertThat(second.get("tasks")).isNotEmpty();
        assertThat(second.get("tasks").get(0).get("id").asString())
                .isNotIn(
                        first.get("tasks").get(0).get("id").asString(),
                        first.get("tasks").get(1).get("id").asString());
    }

    @Test
    void instructGivesAnEndedTaskAFollowUpAndWatchesIt() {
        String first = "first " + UUID.randomUUID();
        CliRun.Result submitted = cli().run("tasks", "submit", "--repo", NOWHERE, "--cli", "echo", "--watch", first);
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        String id = submitted.out().lines().findFirst().orElseThrow().split("\\s+")[0];

        String second = "second " + UUID.randomUUID();
        CliRun.Result instructed = cli().run("tasks", "instruct", id, second, "--watch");

        assertThat(instructed.exitCode()).as(instructed.toString()).isEqualTo(ExitCode.OK);
        assertThat(instructed.out()).contains("iteration 2").contains(second).contains("Task ended: completed.");
        JsonNode task =
                cli().run("-o", "json", "tasks", "get", id, "--iterations").json();
        assertThat(task.get("iteration").asInt()).isEqualTo(2);
        assertThat(task.get("result").asString()).isEqualTo(second);
        assertThat(task.get("iterations")).hasSize(2);
    }

    @Test
    void cancelEndsARunningTaskAndWatchThenExitsOne() {
        CliRun.Result submitted = cli().run(
                        "tasks",
                        "submit",
                        "--repo",
                        repository.url(),
                        "--cli",
                        "command",
                        "--timeout",
                        "120",
                        "sleep 60");
        assertThat(submitted.exitCode()).as(submitted.toString()).isZero();
        String id = submitted.out().strip().split("\\s+")[0];
        await().atMost(WAIT)
                .until(() -> cli().run("-o", "json", "tasks", "get", id)
                        .json()
                        .get("status")
                        .asString()
                        .equals("running"));

        CliRun.Result cancelled = cli().run("tasks", "cancel", id);

        assertThat(cancelled.exitCode()).as(cancelled.toString()).isZero();
        assertThat(cancelled.out()).contains(id).contains("cancelling");
        CliRun.Result watched = cli().run("tasks", "watch", id);
        assertThat(watched.exitCode()).as(watched.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(watched.out()).contains("Task ended: failed.");
        CliRun.Result again = cli().run("tasks", "cancel", id);
        assertThat(again.exitCode()).isEqualTo(ExitCode.API_ERROR);
        assertThat(again.err()).contains("HTTP 409").contains("can no longer be cancelled");
    }

    @Test
    void aFailingCommandTaskWatchesToExitOne() {
        CliRun.Result result = cli().run(
                        "tasks",
                        "submit",
                        "--repo",
                        repository.url(),
                        "--cli",
                        "command",
                        "--watch",
                        "echo doomed; exit 3");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(result.out()).contains("doomed").contains("Task ended: failed.");
    }

    @Test
    void httpErrorsShowTheApisBodyAndExitFour() {
        CliRun.Result missing = cli().run("tasks", "get", UUID.randomUUID().toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.API_ERROR);
        assertThat(missing.err())
                .contains("GET /api/v1/tasks/")
                .contains("HTTP 404")
                .contains("\"error\"");

        CliRun.Result invalid = cli().run("tasks", "submit", "--repo", "", "do it");
        assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(ExitCode.API_ERROR);
        assertThat(invalid.err()).contains("HTTP 400").contains("repo_url");

        CliRun.Result unauthorized =
                CliRun.against(platform.apiUrl(), "not-a-token").run("tasks", "list");
        assertThat(unauthorized.exitCode()).as(unauthorized.toString()).isEqualTo(ExitCode.API_ERROR);
        assertThat(unauthorized.err()).contains("HTTP 401").doesNotContain("not-a-token");
    }

    @Test
    void badArgumentsAndNoServerHaveTheirOwnExitCodes() throws IOException {
        CliRun.Result noRepo = cli().run("tasks", "submit", "do it");
        assertThat(noRepo.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noRepo.err()).contains("Missing required option: '--repo=URL'");

        CliRun.Result unknown = cli().run("tasks", "frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);

        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CliRun.Result refused = CliRun.against("http://127.0.0.1:" + port, platform.bootstrapToken())
                .run("tasks", "list");
        assertThat(refused.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(refused.err()).contains("connection refused").doesNotContain(platform.bootstrapToken());
    }

    @Test
    void aConversationIsCreatedAnsweredShownListedAndDeleted() {
        String marker = UUID.randomUUID().toString();
        CliRun.Result created = cli().run("conversations", "create", "--title", "Chat " + marker);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String id = created.out().strip().split("\\s+")[0];
        String reply = "Hello back, " + marker;
        model.replyText(reply);

        CliRun.Result sent = cli().run("conversations", "send", id, "Hello " + marker);

        assertThat(sent.exitCode()).as(sent.toString()).isZero();
        assertThat(sent.out().strip()).isEqualTo(reply);
        CliRun.Result shown = cli().run("conversations", "get", id);
        assertThat(shown.out())
                .contains("Chat " + marker)
                .contains("user:\nHello " + marker)
                .contains("assistant:\n" + reply);
        assertThat(cli().run("conversations", "list").out()).contains(id);

        CliRun.Result deleted = cli().run("conversations", "delete", id);

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        CliRun.Result gone = cli().run("conversations", "get", id);
        assertThat(gone.exitCode()).isEqualTo(ExitCode.API_ERROR);
        assertThat(gone.err()).contains("HTTP 404");
    }
}
