package dev.agentry.worker.workspace;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryUrlsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://github.com/org/repo.git",
                "http://git.internal/org/repo",
                "ssh://git@github.com/org/repo.git",
                "git@github.com:org/repo.git"
            })
    void acceptsRemoteRepositories(String url) {
        assertThatCode(() -> RepositoryUrls.check(url, false)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/repo.git", "/srv/git/repo.git", "../repo", "repo"})
    void refusesLocalRepositoriesUnlessAllowed(String url) {
        assertThatThrownBy(() -> RepositoryUrls.check(url, false))
                .isInstanceOf(RefusedRepositoryException.class)
                .hasMessageContaining("allow-local-repos");
        assertThatCode(() -> RepositoryUrls.check(url, true)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext::sh -c touch% /tmp/pwned", "--upload-pack=touch /tmp/x", "fd::17", "ftp://host/r"})
    void refusesTransportsThatRunCommandsOrInjectOptions(String url) {
        assertThatThrownBy(() -> RepositoryUrls.check(url, true)).isInstanceOf(RefusedRepositoryException.class);
    }
}
