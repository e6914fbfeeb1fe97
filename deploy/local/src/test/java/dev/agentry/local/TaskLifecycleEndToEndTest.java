package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestGitRepository;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.messages.ClaudeCodeCli;
import dev.agentry.testkit.messages.RecordedRequest;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Cancel, follow-up instructions and workspaces through the real API of a local platform, with the real Claude Code
 * CLI against a scripted Messages API: the API's control messages reach the worker, which kills the agent, resumes
 * its session in the kept workspace, and reports and deletes workspaces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskLifecycleEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;

    private ScriptedMessagesApi model;
    private TestGitRepository repository;
    private LocalPlatform platform;
    private PlatformClient client;

    @BeforeAll
    void startPlatform() {
        String cli = ClaudeCodeCli.pathOrSkip();
        model = ScriptedMessagesApi.start();
        repository = TestGitRepository.withReadme();
        TestDatabase.Database database = TestDatabase.create();
        platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "e2e-lifecycle-" + UUID.randomUUID())
                .withProperty("agentry.worker.worker-id", "e2e-lifecycle-worker-" + UUID.randomUUID())
                .withProperty("agentry.worker.kill-grace-period", "2s")
                .withProperty("agentry.api.projector-group", "e2e-lifecycle-" + UUID.randomUUID())
                .withProperty("agentry.worker.claude-code.cli-path", cli)
                .withProperty("agentry.worker.claude-code.base-url", model.baseUrl())
                .withProperty("agentry.worker.workspace-root", workspaceRoot().toString()));
        client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
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

    @Test
    void cancellingARunningAgentEndsTheTaskAndKillsTheCli() {
        model.hang();
        String marker = "Hang-" + UUID.randomUUID();
        String id = client.submit(task(marker, 120));
        // The CLI is running and waiting on the model.
        await().atMost(WAIT).until(() -> !cliProcesses(marker).isEmpty() && hasTurn(marker));
        List<ProcessHandle> agents = cliProcesses(marker).stream()
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .toList();
        assertThat(agents).isNotEmpty();

        Instant cancelled = Instant.now();
        HttpResponse<String> response = send("POST", "/api/v1/tasks/" + id + "/cancel", null);

        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.terminal(id));
        JsonNode task = client.task(id);
        assertThat(task.get("status").asString()).isEqualTo("failed");
        assertThat(task.get("error").asString().toLowerCase()).contains("cancel");
        await().atMost(Duration.ofSeconds(8))
                .untilAsserted(() -> assertThat(agents).noneMatch(ProcessHandle::isAlive));
        assertThat(cliProcesses(marker)).isEmpty();
        assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aFollowUpInstructionResumesTheSessionInTheSameWorkspace() {
        model.replyToolUse("Bash", Map.of("command", "printf 'one\\n' > STEPS.md", "description", "first step"))
                .replyText("First step done.");
        String firstPrompt = "First step " + UUID.randomUUID();
        String id = client.submit(task(firstPrompt, 120));
        await().atMost(WAIT).until(() -> client.terminal(id));
        assertThat(client.task(id).get("status").asString())
                .as(client.task(id).toString())
                .isEqualTo("completed");

        model.replyToolUse("Bash", Map.of("command", "printf 'two\\n' >> STEPS.md", "description", "second step"))
                .replyText("Second step done.");
        String secondPrompt = "Second step " + UUID.randomUUID();
        HttpResponse<String> instructed =
                send("POST", "/api/v1/tasks/" + id + "/instruct", "{\"prompt\":\"" + secondPrompt + "\"}");

        assertThat(instructed.statusCode()).as(instructed.body()).isBetween(200, 299);
        await().atMost(WAIT).until(() -> client.task(id).get("iteration").asInt() == 2 && client.terminal(id));
        JsonNode task = client.task(id);
        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("completed");
        assertThat(task.get("result").asString()).contains("Second step done.");
        assertThat(task.at("/changes_summary/files_changed").asInt()).isEqualTo(1);
        assertThat(task.at("/changes_summary/insertions").asInt()).isEqualTo(1);
        assertThat(workspaceRoot().resolve(id).resolve("STEPS.md")).hasContent("one\ntwo");
        List<RecordedRequest> secondRun = model.turns().stream()
                .filter(turn -> turn.conversationText().contains(secondPrompt))
                .toList();
        assertThat(secondRun).isNotEmpty();
        assertThat(secondRun.getFirst().conversationText())
                .contains(firstPrompt)
                .contains("First step done.");
        JsonNode withIterations = get("/api/v1/tasks/" + id + "?include=iterations");
        assertThat(withIterations.get("iterations")).hasSize(2);
    }

    @Test
    void workspacesAreListedWithTheirSizeAndCanBeDeleted() {
        model.replyText("Nothing to change.");
        String id = client.submit(task("Look around " + UUID.randomUUID(), 120));
        await().atMost(WAIT).until(() -> client.terminal(id));
        Path workspace = workspaceRoot().resolve(id);
        assertThat(workspace).isDirectory();

        await().atMost(Duration.ofSeconds(30)).until(() -> listed(id) != null);
        JsonNode listed = listed(id);
        assertThat(listed.get("size_mb").decimalValue()).isPositive();

        HttpResponse<String> deleted = send("DELETE", "/api/v1/workspaces/" + id, null);

        assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 299);
        await().atMost(Duration.ofSeconds(30)).until(() -> listed(id) == null && !Files.exists(workspace));
        assertThat(workspaceRoot().resolve(id + ".json")).doesNotExist();
    }

    private Path workspaceRoot() {
        return dataDir.resolve("workspaces");
    }

    private JsonNode listed(String taskId) {
        JsonNode all = get("/api/v1/workspaces").get("workspaces");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(w -> w.get("task_id").asString().equals(taskId))
                .findFirst()
                .orElse(null);
    }

    private boolean hasTurn(String marker) {
        return model.turns().stream().anyMatch(turn -> turn.conversationText().contains(marker));
    }

    /** The CLI processes running this prompt: its text is in their command line (`claude -p <prompt> ...`). */
    private static List<ProcessHandle> cliProcesses(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker)
                        || p.info()
                                .arguments()
                                .map(a -> String.join(" ", a))
                                .orElse("")
                                .contains(marker))
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    private String task(String prompt, int timeoutSeconds) {
        return """
                {"repo_url":"%s","prompt":"%s",
                 "config":{"cli":"claude-code","timeout_seconds":%d,"max_turns":5,"ai_api_key":"sk-ant-e2e-lifecycle"}}""".formatted(repository.url(), prompt, timeoutSeconds);
    }

    private JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return PlatformClient.JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body) {
        return new PlatformClient(platform.apiUrl(), platform.bootstrapToken()).send(method, path, body);
    }
}
