package dev.agentry.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The askpass script git calls for the task's token answers only for the origin the worker named. */
class GitAskpassTest {

    private static final String TOKEN = "ghp_task_token";

    @Test
    void answersForTheOriginTheWorkerIsTalkingTo() throws Exception {
        Map<String, String> env = Map.of("AGENTRY_GIT_TOKEN", TOKEN, "AGENTRY_GIT_TOKEN_ORIGIN", "https://github.com");

        assertThat(ask("Username for 'https://github.com': ", env)).isEqualTo("x-access-token");
        assertThat(ask("Password for 'https://x-access-token@github.com': ", env))
                .isEqualTo(TOKEN);
        assertThat(ask(
                        "Password for 'http://x-access-token@127.0.0.1:8080': ",
                        Map.of("AGENTRY_GIT_TOKEN", TOKEN, "AGENTRY_GIT_TOKEN_ORIGIN", "http://127.0.0.1:8080")))
                .isEqualTo(TOKEN);
    }

    @Test
    void refusesAnyOtherHostSchemeOrPort() throws Exception {
        Map<String, String> env = Map.of("AGENTRY_GIT_TOKEN", TOKEN, "AGENTRY_GIT_TOKEN_ORIGIN", "https://github.com");

        for (String prompt : List.of(
                "Password for 'https://x-access-token@evil.example': ",
                "Password for 'https://x-access-token@github.com.evil.example': ",
                "Password for 'http://x-access-token@github.com': ",
                "Password for 'https://x-access-token@github.com:8443': ",
                "Password for 'https://github.com@evil.example': ")) {
            assertThat(ask(prompt, env)).as(prompt).isNull();
        }
        assertThat(ask("Password for 'https://x-access-token@github.com': ", Map.of("AGENTRY_GIT_TOKEN", TOKEN)))
                .isNull();
    }

    @Test
    void theOriginIsTheUrlAfterTheSeparatorAsGitSpellsIt() {
        assertThat(CredentialOrigin.of(List.of("clone", "--no-tags", "--", "https://github.com/acme/app.git", "/w")))
                .contains("https://github.com");
        assertThat(CredentialOrigin.of(List.of("push", "--", "http://127.0.0.1:8080/acme/app.git", "refs/heads/x")))
                .contains("http://127.0.0.1:8080");
        assertThat(CredentialOrigin.of(List.of("clone", "--", "file:///srv/repo.git", "/w")))
                .isEmpty();
        assertThat(CredentialOrigin.of(List.of("fetch", "https://github.com/acme/app.git")))
                .isEmpty();
    }

    /** What the script prints for {@code prompt}, or null when it refuses (non-zero exit). */
    private static String ask(String prompt, Map<String, String> env) throws IOException, InterruptedException {
        Path script = Files.createTempFile("askpass", ".sh");
        Files.writeString(script, Git.ASKPASS);
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString(), prompt);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("PATH", "/usr/bin:/bin");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int exit = process.waitFor();
        Files.delete(script);
        return exit == 0 ? out : null;
    }
}
