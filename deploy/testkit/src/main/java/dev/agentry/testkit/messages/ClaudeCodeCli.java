package dev.agentry.testkit.messages;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find the real Claude Code CLI: {@code AGENTRY_CLAUDE_CLI} (a system property or the environment; .ci/run
 * installs the pinned version and sets it). Tests that need it are skipped, saying why, where it is absent.
 */
public final class ClaudeCodeCli {

    private static final String DEFAULT_PATH = "/opt/agentry-tools/node_modules/.bin/claude";

    /** The CLI's path, or the calling test is skipped. */
    public static String pathOrSkip() {
        String configured = System.getProperty("AGENTRY_CLAUDE_CLI", System.getenv("AGENTRY_CLAUDE_CLI"));
        Path executable = Path.of(configured == null || configured.isBlank() ? DEFAULT_PATH : configured);
        assumeTrue(
                Files.isExecutable(executable),
                "the Claude Code CLI is not installed at " + executable
                        + "; set AGENTRY_CLAUDE_CLI (.ci/run installs it)");
        return executable.toString();
    }

    private ClaudeCodeCli() {}
}
