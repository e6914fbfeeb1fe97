package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.testkit.GitHttpServer;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.github.FakeGitHub;
import dev.agentry.testkit.messages.ClaudeCodeCli;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import dev.agentry.testkit.webhook.StandardWebhooksVerifier;
import dev.agentry.testkit.webhook.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * From an agent's edit to a pull request, through the whole platform: the real Claude Code CLI (scripted Messages
 * API) writes a file, create-pr makes the worker push the task branch over authenticated git smart HTTP and open
 * the pull request through the production GitHub client against a fake GitHub, and the task ends {@code pr_created}.
 * A follow-up instruction then adds a commit to the same branch, so the pull request follows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PullRequestEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ACCESS_TOKEN = "ghp_e2e_pr_token_5d1e";
    private static final String AI_KEY = "sk-ant-e2e-pr-key-0b7f";

    @TempDir
    static Path dataDir;

    private ScriptedMessagesApi model;
    private GitHttpServer git;
    private FakeGitHub github;
    private String repoUrl;
    private LocalPlatform platform;
    private PlatformClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startPlatform() throws Exception {
        String cli = ClaudeCodeCli.pathOrSkip();
        model = ScriptedMessagesApi.start();
        git = GitHttpServer.start();
        repoUrl = git.createRepository("acme", "app", ACCESS_TOKEN, Map.of("README.md", "# App\n"));
        github = FakeGitHub.start()
                .repository("acme", "app", ACCESS_TOKEN)
                .headExistsWhen((repository, branch) -> git.branchHead("acme", "app", branch) != null);
        TestDatabase.Database database = TestDatabase.create();
        platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "e2e-pr-" + UUID.randomUUID())
                .withProperty("agentry.worker.worker-id", "e2e-pr-worker-" + UUID.randomUUID())
                .withProperty("agentry.api.projector-group", "e2e-pr-" + UUID.randomUUID())
                .withProperty("agentry.scheduler.webhooks.consumer-group", "e2e-pr-webhooks-" + UUID.randomUUID())
                // The broker is shared with other test classes, whose events name tasks this database never had:
                // skip them at once rather than wait for their rows.
                .withProperty("agentry.scheduler.webhooks.missing-task-wait", "0s")
                .withProperty("agentry.worker.claude-code.cli-path", cli)
                .withProperty("agentry.worker.claude-code.base-url", model.baseUrl())
                .withProperty(
                        "agentry.worker.workspace-root",
                        dataDir.resolve("workspaces").toString())
                .withProperty("agentry.worker.git.author-name", "Agentry E2E")
                .withProperty("agentry.worker.git.author-email", "e2e@agentry.test")
                .withProperty("agentry.worker.github.base-url", github.baseUrl())
                .withProperty("agentry.worker.github.hosts", "github.com," + git.host())
                .withProperty("agentry.api.pull-requests.github-hosts", "github.com," + git.host()));
        client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
    }

    private final java.util.List<WebhookReceiver> receivers = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    void stopPlatform() throws Exception {
        receivers.forEach(WebhookReceiver::close);
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
        if (github != null) {
            github.close();
        }
        if (git != null) {
            git.close();
        }
    }

    @Test
    void anAgentsEditBecomesAPullRequestThatFollowsLaterIterations() throws Exception {
        HttpResponse<String> rotated = post("/api/v1/webhooks/secret/rotate", "");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        String secret =
                PlatformClient.JSON.readTree(rotated.body()).get("secret").asString();
        WebhookReceiver receiver = WebhookReceiver.answering(WebhookReceiver.Reply.ok());
        receivers.add(receiver);
        model.replyToolUse(
                "Bash", Map.of("command", "printf 'written by the agent\\n' > NOTES.md", "description", "write notes"));
        model.replyText("I wrote NOTES.md.");
        String id = client.submit("""
                {"repo_url":"%s","prompt":"Write NOTES.md","access_token":"%s","callback_url":"%s",
                 "config":{"cli":"claude-code","timeout_seconds":120,"max_turns":5,"ai_api_key":"%s"}}""".formatted(repoUrl, ACCESS_TOKEN, receiver.url(), AI_KEY));
        await().atMost(WAIT).until(() -> client.terminal(id));
        assertThat(client.status(id)).as(client.task(id).toString()).isEqualTo("completed");

        HttpResponse<String> response = post(
                "/api/v1/tasks/" + id + "/create-pr",
                "{\"title\":\"Add notes\",\"description\":\"Notes by the agent\",\"target_branch\":\"main\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode pr = PlatformClient.JSON.readTree(response.body());
        String branch = "agentry/task-" + id.substring(0, 8);
        assertThat(pr.get("branch").asString()).isEqualTo(branch);
        assertThat(pr.get("pr_number").asInt()).isPositive();
        assertThat(pr.get("pr_url").asString())
                .endsWith("/acme/app/pull/" + pr.get("pr_number").asInt());
        // The branch is on the remote with the agent's commit.
        assertThat(git.branchHead("acme", "app", branch)).isNotNull();
        assertThat(git.git("acme", "app", "show", branch + ":NOTES.md")).isEqualTo("written by the agent\n");
        assertThat(git.git("acme", "app", "log", "-1", "--format=%an <%ae>|%s", branch)
                        .strip())
                .isEqualTo("Agentry E2E <e2e@agentry.test>|Write NOTES.md");
        // GitHub was asked for the right pull request, with the task's token.
        FakeGitHub.Request post = github.requests().stream()
                .filter(r -> r.method().equals("POST"))
                .findFirst()
                .orElseThrow();
        assertThat(post.path()).isEqualTo("/api/v3/repos/acme/app/pulls");
        assertThat(post.authorization()).isEqualTo("Bearer " + ACCESS_TOKEN);
        assertThat(post.body().get("head").asString()).isEqualTo(branch);
        assertThat(post.body().get("base").asString()).isEqualTo("main");
        assertThat(post.body().get("title").asString()).isEqualTo("Add notes");
        assertThat(post.body().get("body").asString()).isEqualTo("Notes by the agent");
        JsonNode task = client.task(id);
        assertThat(task.get("status").asString()).isEqualTo("pr_created");
        assertThat(task.get("branch").asString()).isEqualTo(branch);
        assertThat(task.get("pr_number").asInt()).isEqualTo(pr.get("pr_number").asInt());
        assertThat(task.get("pr_url").asString()).isEqualTo(pr.get("pr_url").asString());
        assertThat(task.toString()).doesNotContain(ACCESS_TOKEN);
        // The task.pr_created webhook arrives, signed, with the seed's payload.
        await().atMost(WAIT)
                .until(() -> receiver.received().stream()
                        .anyMatch(r -> "task.pr_created".equals(r.header("X-Agentry-Event"))));
        WebhookReceiver.Received prCreated = receiver.received().stream()
                .filter(r -> "task.pr_created".equals(r.header("X-Agentry-Event")))
                .findFirst()
                .orElseThrow();
        assertThat(StandardWebhooksVerifier.verify(secret, prCreated, Instant.now()))
                .isTrue();
        JsonNode payload = PlatformClient.JSON.readTree(prCreated.bodyText());
        assertThat(payload.get("task_id").asString()).isEqualTo(id);
        assertThat(payload.get("status").asString()).isEqualTo("pr_created");
        assertThat(prCreated.bodyText()).doesNotContain(ACCESS_TOKEN);

        // A follow-up iteration commits to the same branch and pushes, so the pull request updates.
        String before = git.branchHead("acme", "app", branch);
        model.replyToolUse("Bash", Map.of("command", "printf 'more\\n' > MORE.md", "description", "write more"));
        model.replyText("I wrote MORE.md.");
        HttpResponse<String> instructed = post("/api/v1/tasks/" + id + "/instruct", "{\"prompt\":\"Add MORE.md\"}");
        assertThat(instructed.statusCode()).as(instructed.body()).isBetween(200, 202);
        await().atMost(WAIT).until(() -> client.task(id).get("iteration").asInt() == 2 && client.terminal(id));
        assertThat(client.status(id)).as(client.task(id).toString()).isEqualTo("completed");
        await().atMost(WAIT).until(() -> !before.equals(git.branchHead("acme", "app", branch)));
        assertThat(git.git("acme", "app", "show", branch + ":MORE.md")).isEqualTo("more\n");
        assertThat(git.git("acme", "app", "log", "-1", "--format=%s", branch).strip())
                .isEqualTo("Add MORE.md");
        assertThat(github.pullRequests("acme", "app")).hasSize(1);
    }

    @Test
    void aTaskWithoutChangesCannotOpenAPullRequest() {
        model.replyText("Nothing to change.");
        String id = client.submit("""
                {"repo_url":"%s","prompt":"Look only","access_token":"%s",
                 "config":{"cli":"claude-code","timeout_seconds":120,"max_turns":5,"ai_api_key":"%s"}}""".formatted(repoUrl, ACCESS_TOKEN, AI_KEY));
        await().atMost(WAIT).until(() -> client.terminal(id));

        HttpResponse<String> response = post("/api/v1/tasks/" + id + "/create-pr", "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(client.status(id)).isEqualTo("completed");
    }

    private HttpResponse<String> post(String path, String body) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                            .header("Authorization", "Bearer " + platform.bootstrapToken())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
