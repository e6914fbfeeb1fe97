package dev.agentry.worker.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void removesTheTokenAndUserInfoOfUrls() {
        String line = "fatal: Authentication failed for 'https://bob:pa55@github.com/org/repo.git/' using ghp_abc";

        assertThat(Redactor.redact(line, "ghp_abc"))
                .isEqualTo("fatal: Authentication failed for 'https://***@github.com/org/repo.git/' using ***");
    }

    @Test
    void leavesTextWithoutCredentialsAlone() {
        assertThat(Redactor.redact("Cloning into 'x'...", null)).isEqualTo("Cloning into 'x'...");
    }
}
