package dev.agentry.worker.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentry.testkit.github.FakeGitHub;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production client against a local server that speaks GitHub's pull-request API. */
class GitHubClientTest {

    private static final String TOKEN = "ghp_client_test_token";
    private static final GitHubRepository REPO = new GitHubRepository("acme", "app");

    private FakeGitHub github;
    private GitHubClient client;

    @BeforeEach
    void start() {
        github = FakeGitHub.start().repository("acme", "app", TOKEN);
        client = client(4, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private GitHubClient client(int attempts, Duration maxWait) {
        return new GitHubClient(new GitHubProperties(
                URI.create(github.baseUrl()),
                List.of("github.com"),
                attempts,
                Duration.ofMillis(50),
                maxWait,
                Duration.ofSeconds(5)));
    }

    @Test
    void opensAPullRequestWithTheTokenAndTheDocumentedBody() {
        var opened = client.openPullRequest(REPO, TOKEN, "Fix auth", "Body", "agentry/task-1", "main");

        assertThat(opened.existing()).isFalse();
        assertThat(opened.pullRequest().number()).isEqualTo(1);
        assertThat(opened.pullRequest().htmlUrl()).endsWith("/acme/app/pull/1");
        FakeGitHub.Request request = github.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v3/repos/acme/app/pulls");
        assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(request.body().get("head").asString()).isEqualTo("agentry/task-1");
        assertThat(request.body().get("base").asString()).isEqualTo("main");
        assertThat(request.body().get("title").asString()).isEqualTo("Fix auth");
    }

    @Test
    void returnsThePullRequestAlreadyOpenForTheBranch() {
        var first = client.openPullRequest(REPO, TOKEN, "One", "", "agentry/task-2", "main");

        var second = client.openPullRequest(REPO, TOKEN, "Two", "", "agentry/task-2", "main");

        assertThat(second.existing()).isTrue();
        assertThat(second.pullRequest()).isEqualTo(first.pullRequest());
        assertThat(github.requests().getLast().query()).contains("head=acme%3Aagentry%2Ftask-2");
    }

    @Test
    void aWrongTokenIsUnauthorizedAndNotRetried() {
        assertThatThrownBy(() -> client.openPullRequest(REPO, "wrong", "t", "b", "agentry/task-3", "main"))
                .isInstanceOf(GitHubException.Unauthorized.class)
                .hasMessageContaining("Bad credentials")
                .hasMessageNotContaining("wrong");
        assertThat(github.requests()).hasSize(1);
    }

    @Test
    void waitsOutASecondaryRateLimitThenSucceeds() {
        github.secondaryRateLimitNext(429, 1).secondaryRateLimitNext(403, 0);

        long started = System.nanoTime();
        var opened = client.openPullRequest(REPO, TOKEN, "t", "b", "agentry/task-4", "main");

        assertThat(opened.pullRequest().number()).isPositive();
        assertThat(github.requests()).hasSize(3);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void waitsForThePrimaryRateLimitResetThenSucceeds() {
        github.primaryRateLimitNext(0);

        var opened = client.openPullRequest(REPO, TOKEN, "t", "b", "agentry/task-5", "main");

        assertThat(opened.pullRequest().number()).isPositive();
        assertThat(github.requests()).hasSize(2);
    }

    @Test
    void givesUpClearlyWhenTheRateLimitPersists() {
        for (int i = 0; i < 4; i++) {
            github.secondaryRateLimitNext(403, 0);
        }

        assertThatThrownBy(() -> client.openPullRequest(REPO, TOKEN, "t", "b", "agentry/task-6", "main"))
                .isInstanceOf(GitHubException.RateLimited.class)
                .hasMessageContaining("secondary rate limit");
        assertThat(github.requests()).hasSize(4);
    }

    @Test
    void failsAtOnceWhenTheRateLimitResetsLaterThanItWouldWait() {
        github.primaryRateLimitNext(3600);

        assertThatThrownBy(() -> client.openPullRequest(REPO, TOKEN, "t", "b", "agentry/task-7", "main"))
                .isInstanceOf(GitHubException.RateLimited.class)
                .hasMessageContaining("API rate limit exceeded");
        assertThat(github.requests()).hasSize(1);
    }

    @Test
    void retriesServerErrors() {
        github.answerNext(502, Map.of(), "{\"message\":\"Server Error\"}");

        var opened = client.openPullRequest(REPO, TOKEN, "t", "b", "agentry/task-8", "main");

        assertThat(opened.pullRequest().number()).isPositive();
        assertThat(github.requests()).hasSize(2);
    }

    @Test
    void reportsValidationFailuresWithGitHubsDetails() {
        github.headExistsWhen((repository, branch) -> false);

        assertThatThrownBy(() -> client.openPullRequest(REPO, TOKEN, "t", "b", "agentry/task-9", "main"))
                .isInstanceOf(GitHubException.class)
                .hasMessageContaining("Validation Failed");
    }
}
