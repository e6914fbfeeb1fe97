package dev.agentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.local.LocalPlatform;
import dev.agentry.local.LocalSettings;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.messages.ClaudeCodeCli;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExecuteContract} against the real {@code /api/v1/execute/stream} and {@code /api/v1/sessions} of the whole
 * local platform: each mission runs on the worker through the real Claude Code CLI of the {@code dev} profile, its
 * model a scripted Messages API. Skipped, saying why, where the CLI is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecuteAgainstThePlatformTest extends ExecuteContract {

    @TempDir
    static Path dataDir;

    private ScriptedMessagesApi model;
    private LocalPlatform platform;

    @BeforeAll
    void startPlatform() {
        String cli = ClaudeCodeCli.pathOrSkip();
        model = ScriptedMessagesApi.start();
        TestDatabase.Database database = TestDatabase.create();
        String run = UUID.randomUUID().toString();
        platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "cli-missions-" + run)
                .withProperty("agentry.worker.worker-id", "cli-missions-worker-" + run)
                .withProperty("agentry.api.projector-group", "cli-missions-projector-" + run)
                .withProperty("agentry.worker.claude-code.cli-path", cli)
                .withProperty("agentry.worker.claude-code.base-url", model.baseUrl())
                .withProperty("agentry.worker.claude-code.api-key", "sk-ant-cli-mission-key")
                .withProperty(
                        "agentry.worker.workspace-root",
                        dataDir.resolve("workspaces").toString()));
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Override
    String apiUrl() {
        return platform.apiUrl();
    }

    @Override
    String token() {
        return platform.bootstrapToken();
    }

    @Override
    void nextMissionAnswers(String answer) {
        model.replyText(answer);
    }

    @Override
    void nextMissionFails(String error) {
        // A refusal the CLI does not retry: the run ends with the API's message as its error.
        model.replyError(400, "invalid_request_error", error);
    }

    @Override
    void nextMissionAsks(String question) {
        // The dev profile's pause protocol: the agent's answer is a JSON question for the user.
        model.replyText("{\"ask_user\": {\"question\": \"" + question + "\"}}");
    }

    @Test
    void theMissionsKeyNeverReachesTheCommandLinesOutput() {
        String answer = "Keys stay on the worker " + UUID.randomUUID();
        nextMissionAnswers(answer);

        CliRun.Result result = cli().run("--output", "json", "execute", "Say something");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
        assertThat(result.out()).contains(answer).doesNotContain("sk-ant-cli-mission-key");
        assertThat(result.err()).doesNotContain("sk-ant-cli-mission-key");
    }
}
