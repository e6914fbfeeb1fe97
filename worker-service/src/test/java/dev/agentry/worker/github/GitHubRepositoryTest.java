package dev.agentry.worker.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitHubRepositoryTest {

    private static final List<String> GITHUB = List.of("github.com");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://github.com/acme/app.git",
                "https://github.com/acme/app",
                "https://github.com/acme/app/",
                "https://x-access-token:secret@github.com/acme/app.git",
                "ssh://git@github.com/acme/app.git",
                "git@github.com:acme/app.git",
                "git@github.com:acme/app"
            })
    void readsOwnerAndNameFromEveryGitHubUrlForm(String url) {
        assertThat(GitHubRepository.parse(url, GITHUB)).contains(new GitHubRepository("acme", "app"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://gitlab.com/acme/app.git",
                "git@bitbucket.org:acme/app.git",
                "file:///tmp/app.git",
                "/tmp/app.git",
                "https://github.com/acme"
            })
    void refusesRemotesThatAreNotGitHubRepositories(String url) {
        assertThat(GitHubRepository.parse(url, GITHUB)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://ghe.acme.io/team/app.git", "git@ghe.acme.io:team/app.git"})
    void acceptsConfiguredEnterpriseHosts(String url) {
        assertThat(GitHubRepository.parse(url, List.of("github.com", "ghe.acme.io")))
                .contains(new GitHubRepository("team", "app"));
    }

    @org.junit.jupiter.api.Test
    void aHostWithAPortMatchesOnlyThatPort() {
        List<String> hosts = List.of("127.0.0.1:8443");
        assertThat(GitHubRepository.parse("http://127.0.0.1:8443/acme/app.git", hosts))
                .contains(new GitHubRepository("acme", "app"));
        assertThat(GitHubRepository.parse("http://127.0.0.1:9999/acme/app.git", hosts))
                .isEmpty();
    }
}
