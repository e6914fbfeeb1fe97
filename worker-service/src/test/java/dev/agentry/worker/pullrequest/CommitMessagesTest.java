package dev.agentry.worker.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommitMessagesTest {

    private static final UUID TASK = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");

    @Test
    void aOneLinePromptIsTheSubjectWithTrailers() {
        assertThat(TaskBranches.commitMessage(TASK, 1, "  Fix the failing auth tests \n"))
                .isEqualTo("""
                        Fix the failing auth tests

                        Agentry-Task: 550e8400-e29b-41d4-a716-446655440000
                        Agentry-Iteration: 1
                        """);
    }

    @Test
    void aLongPromptIsCutAtAWordAndKeptWholeInTheBody() {
        String prompt = "Refactor the authentication module so that every handler validates the token expiry"
                + " before it reads claims\nand add tests.";

        String message = TaskBranches.commitMessage(TASK, 2, prompt);

        String subject = message.lines().findFirst().orElseThrow();
        assertThat(subject).hasSizeLessThanOrEqualTo(72).endsWith("…").startsWith("Refactor the authentication");
        assertThat(message).contains("\n\n" + prompt + "\n\n").endsWith("Agentry-Iteration: 2\n");
    }

    @Test
    void anEmptyFirstLineFallsBackToTheTask() {
        assertThat(TaskBranches.commitMessage(TASK, 1, "\n\n"))
                .startsWith("Agentry task 550e8400-e29b-41d4-a716-446655440000\n");
    }

    @Test
    void pullRequestTitlesComeFromThePromptsFirstLine() {
        assertThat(PullRequests.defaultTitle("Write NOTES.md\n\nPlease.")).isEqualTo("Write NOTES.md");
        assertThat(PullRequests.defaultTitle("x".repeat(100))).hasSize(72).endsWith("…");
        assertThat(PullRequests.defaultTitle("  ")).isEqualTo("Changes by Agentry");
    }
}
