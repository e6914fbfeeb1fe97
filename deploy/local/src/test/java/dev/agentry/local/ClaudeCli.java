package dev.agentry.local;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the end-to-end tests find the real Claude Code CLI; they are skipped, and say why, where it is absent. */
final class ClaudeCli {

    static String pathOrSkip() {
        String cli = System.getenv()
                .getOrDefault(
                        "AGENTRY_CLAUDE_CLI",
                        System.getProperty("AGENTRY_CLAUDE_CLI", "/opt/agentry-tools/node_modules/.bin/claude"));
        assumeThat(Files.isExecutable(Path.of(cli)))
                .as("the Claude Code CLI is not installed; set AGENTRY_CLAUDE_CLI (.ci/run installs it)")
                .isTrue();
        return cli;
    }

    private ClaudeCli() {}
}
