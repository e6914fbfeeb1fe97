package dev.agentry.testkit.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The real Claude Code CLI, run as the worker will run it, against a scripted Messages API. */
class ClaudeCliAgainstScriptedApiTest {

    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path workspace;

    @TempDir
    Path home;

    private final ScriptedMessagesApi api = ScriptedMessagesApi.start();
    private ClaudeCli claude;

    @BeforeEach
    void findCli() {
        claude = ClaudeCli.against(api, home);
    }

    @AfterEach
    void close() {
        api.close();
    }

    @Test
    void writesAndEditsAFileThenReportsSuccessWithUsage() throws Exception {
        Path file = workspace.resolve("notes.txt");
        api.replyToolUse("I'll create the file.", "Write", Map.of("file_path", file.toString(), "content", "draft\n"))
                .replyToolUse(
                        "Edit", Map.of("file_path", file.toString(), "old_string", "draft", "new_string", "final"))
                .replyText("Done.");

        ClaudeCli.Result run = claude.run(workspace, "Create notes.txt and finalise it.");

        assertThat(file).hasContent("final");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = run.result();
        assertThat(result.path("subtype").asString()).isEqualTo("success");
        assertThat(result.path("is_error").asBoolean()).isFalse();
        assertThat(result.path("result").asString()).isEqualTo("Done.");
        assertThat(result.path("num_turns").asInt()).isEqualTo(3);
        assertThat(result.path("usage").path("input_tokens").asInt()).isPositive();
        assertThat(result.path("usage").path("output_tokens").asInt()).isPositive();
        assertThat(result.path("total_cost_usd").asDouble()).isPositive();
        assertThat(result.path("session_id").asString())
                .isEqualTo(run.init().path("session_id").asString());
        assertThat(toolResults(run)).hasSize(2);

        List<RecordedRequest> turns = api.turns();
        assertThat(turns).hasSize(3);
        assertThat(turns).allSatisfy(turn -> {
            assertThat(turn.carriesApiKey(ClaudeCli.API_KEY)).isTrue();
            assertThat(turn.header("x-api-key")).hasValue("<redacted>");
            assertThat(turn.isStreaming()).isTrue();
            assertThat(turn.toolNames()).contains("Write", "Edit", "Bash");
        });
        assertThat(turns.get(2).messages().toString()).contains("tool_result");
        assertThat(api.remainingReplies()).isZero();
    }

    @Test
    void reportsAScriptedApiErrorAsAnErrorResult() throws Exception {
        api.replyError(400, "invalid_request_error", "scripted failure");

        ClaudeCli.Result run = claude.run(workspace, "Do anything.");

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode result = run.result();
        assertThat(result.path("is_error").asBoolean()).isTrue();
        assertThat(result.path("api_error_status").asInt()).isEqualTo(400);
        assertThat(result.path("result").asString()).isEqualTo("API Error: 400 scripted failure");
        assertThat(result.path("terminal_reason").asString()).isEqualTo("api_error");
        // The CLI retries a 400 with fewer beta headers; every retry got the same scripted error.
        assertThat(api.turns()).hasSizeGreaterThan(1);
        assertThat(api.remainingReplies()).isZero();
    }

    @Test
    void reportsAnOverloadedApiAsAnErrorResultWhenRetriesAreOff() throws Exception {
        api.replyError(529, "overloaded_error", "Overloaded");

        ClaudeCli.Result run = claude.run(workspace, "Do anything.");

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode result = run.result();
        assertThat(result.path("is_error").asBoolean()).isTrue();
        assertThat(result.path("api_error_status").asInt()).isEqualTo(529);
        assertThat(result.path("result").asString()).contains("Overloaded");
    }

    @Test
    void staysRunningWhileTheApiHangsUntilKilled() throws Exception {
        api.hang();

        ClaudeCli.Running running = claude.start(workspace, "Wait for an answer that never comes.");
        try {
            api.awaitTurns(1, TURN_TIMEOUT);
            assertThat(running.process().waitFor(2, TimeUnit.SECONDS))
                    .as("claude still waits for the API two seconds after its request")
                    .isFalse();
        } finally {
            running.process().destroy();
        }
        assertThat(running.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.process().exitValue()).isEqualTo(143);
        ClaudeCli.Result killed = running.result();
        assertThat(killed.lines()).hasSize(1);
        assertThat(killed.init().path("session_id").asString()).isNotBlank();
    }

    @Test
    void resumesASessionWithTheEarlierConversationInTheNextRequest() throws Exception {
        api.replyText("I will remember banana.").replyText("The word was banana.");

        ClaudeCli.Result first = claude.run(workspace, "Remember the word banana.");
        ClaudeCli.Result second = claude.run(workspace, "What was the word?", "--resume", first.sessionId());

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.sessionId()).isEqualTo(first.sessionId());
        assertThat(second.result().path("result").asString()).isEqualTo("The word was banana.");
        RecordedRequest resumed = api.turns().get(1);
        assertThat(resumed.header("x-claude-code-session-id")).hasValue(first.sessionId());
        assertThat(resumed.conversationText())
                .containsSubsequence(
                        "user: Remember the word banana.",
                        "assistant: I will remember banana.",
                        "user: What was the word?");
    }

    private static List<JsonNode> toolResults(ClaudeCli.Result run) {
        return run.lines().stream()
                .filter(line -> line.path("type").asString().equals("user"))
                .flatMap(line -> line.path("message").path("content").values().stream())
                .filter(block -> block.path("type").asString().equals("tool_result"))
                .toList();
    }
}
