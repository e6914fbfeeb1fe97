package dev.agentry.testkit.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the real Claude Code CLI for a test: in a given working directory, with its own HOME and config dir, against a
 * {@link ScriptedMessagesApi}, with stdout and stderr captured to files.
 */
final class ClaudeCli {

    static final String API_KEY = "test-key-not-a-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path executable;
    private final Path home;
    private final String baseUrl;

    private ClaudeCli(Path executable, Path home, String baseUrl) {
        this.executable = executable;
        this.home = home;
        this.baseUrl = baseUrl;
    }

    /** The CLI, or the test is skipped: {@code -DAGENTRY_CLAUDE_CLI=...} or env {@code AGENTRY_CLAUDE_CLI}. */
    static ClaudeCli against(ScriptedMessagesApi api, Path home) {
        return new ClaudeCli(Path.of(ClaudeCodeCli.pathOrSkip()), home, api.baseUrl());
    }

    /** The argv the worker is expected to use, plus extra arguments (such as {@code --resume <id>}). */
    Running start(Path workDir, String prompt, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "-p",
                prompt,
                "--output-format",
                "stream-json",
                "--verbose",
                "--max-turns",
                "5",
                "--permission-mode",
                "acceptEdits"));
        command.addAll(List.of(extraArgs));
        Path stdout = Files.createTempFile(home, "stdout-", ".jsonl");
        Path stderr = Files.createTempFile(home, "stderr-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("ANTHROPIC_") || name.startsWith("CLAUDE_"));
        env.put("HOME", home.toString());
        env.put("CLAUDE_CONFIG_DIR", home.resolve(".claude").toString());
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        env.put("ANTHROPIC_API_KEY", API_KEY);
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("CLAUDE_CODE_MAX_RETRIES", "0");
        env.put("NO_PROXY", "127.0.0.1,localhost");
        return new Running(builder.start(), stdout, stderr);
    }

    /** Runs to the end (at most a minute) and reads what the CLI printed. */
    Result run(Path workDir, String prompt, String... extraArgs) throws Exception {
        Running running = start(workDir, prompt, extraArgs);
        boolean exited = running.process().waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            running.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(exited).as("claude exits within 60 seconds").isTrue();
        return running.result();
    }

    record Running(Process process, Path stdout, Path stderr) {

        Result result() throws IOException {
            return Result.read(process.exitValue(), stdout, stderr);
        }
    }

    record Result(int exitCode, List<JsonNode> lines, String stderr) {

        static Result read(int exitCode, Path stdout, Path stderr) throws IOException {
            List<JsonNode> lines = Files.readAllLines(stdout).stream()
                    .filter(line -> !line.isBlank())
                    .map(JSON::readTree)
                    .toList();
            return new Result(exitCode, lines, Files.readString(stderr));
        }

        JsonNode init() {
            return only("system", "init");
        }

        JsonNode result() {
            return lines.stream()
                    .filter(line -> line.path("type").asString().equals("result"))
                    .reduce((first, second) -> second)
                    .orElseThrow(() -> new AssertionError("No result line in " + lines + "; stderr: " + stderr));
        }

        String sessionId() {
            return result().path("session_id").asString();
        }

        private JsonNode only(String type, String subtype) {
            return lines.stream()
                    .filter(line -> line.path("type").asString().equals(type))
                    .filter(line -> line.path("subtype").asString().equals(subtype))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("No " + type + "/" + subtype + " line in " + lines));
        }
    }
}
