package dev.agentry.worker.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.testkit.GitHttpServer;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.github.FakeGitHub;
import dev.agentry.worker.WorkerApplication;
import dev.agentry.worker.process.ProcessScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A worker commits an iteration's work to the task branch, pushes it over real authenticated git smart HTTP and
 * opens the pull request through the production GitHub client against a fake GitHub; answers go out on Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PullRequestFlowTest {

    private static final String TOKEN = "ghp_flow_test_token_77";
    private static final String SEALING_KEYS = SecretSealer.newSpec("k1");
    private static final SecretSealer SEALER = SecretSealer.fromSpec(SEALING_KEYS);
    private static final MessageCodec CODEC = new MessageCodec();

    private Path workspaces;

    private GitHttpServer git;
    private FakeGitHub github;
    private ConfigurableApplicationContext worker;
    private String repoUrl;

    @BeforeAll
    void start() throws IOException {
        workspaces = Files.createTempDirectory("agentry-pr-workspaces-");
        git = GitHttpServer.start();
        repoUrl = git.createRepository("acme", "app", TOKEN, Map.of("README.md", "# App\n"));
        github = FakeGitHub.start()
                .repository("acme", "app", TOKEN)
                .headExistsWhen((repository, branch) -> git.branchHead("acme", "app", branch) != null);
        worker = WorkerApplication.builder()
                .run(
                        "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--server.port=0",
                        "--agentry.worker.worker-id=pr-worker",
                        "--agentry.worker.concurrency=1",
                        "--agentry.worker.share-group-id=pr-flow-" + UUID.randomUUID(),
                        "--agentry.worker.workspace-root=" + workspaces,
                        // The git stand-in speaks plain http on loopback.
                        "--agentry.worker.repository-allowed-networks=127.0.0.0/8,::1/128",
                        "--agentry.secrets.sealing-keys=" + SEALING_KEYS,
                        "--agentry.worker.git.author-name=Agentry Bot",
                        "--agentry.worker.git.author-email=bot@agentry.test",
                        "--agentry.worker.github.base-url=" + github.baseUrl(),
                        "--agentry.worker.github.hosts=github.com," + git.host(),
                        "--agentry.worker.github.initial-backoff=50ms");
    }

    @AfterAll
    void stop() {
        if (worker != null) {
            worker.close();
        }
        github.close();
        git.close();
    }

    @Test
    void pushesTheTaskBranchAndOpensThePullRequest() throws IOException {
        UUID taskId = UUID.randomUUID();
        Path workspace = cloneFor(taskId);
        Files.writeString(workspace.resolve("NOTES.md"), "written by the agent\n");
        var committed = branches().commitIteration(taskId, workspace, 1, "Write NOTES.md\n\nPlease.", null, scope());
        assertThat(committed).hasValueSatisfying(c -> assertThat(c.pushed()).isFalse());

        TaskEvent answer = createPullRequest(taskId, request(1, TOKEN, null, "main"));

        assertThat(answer).isInstanceOf(TaskPullRequestCreated.class);
        var created = (TaskPullRequestCreated) answer;
        String branch = "agentry/task-" + taskId.toString().substring(0, 8);
        assertThat(created.branch()).isEqualTo(branch);
        assertThat(created.existing()).isFalse();
        assertThat(git.branchHead("acme", "app", branch)).isNotNull();
        assertThat(git.git("acme", "app", "log", "-1", "--format=%an <%ae>|%s", branch)
                        .strip())
                .isEqualTo("Agentry Bot <bot@agentry.test>|Write NOTES.md");
        assertThat(git.git("acme", "app", "show", branch + ":NOTES.md")).isEqualTo("written by the agent\n");
        var post = github.requests().stream()
                .filter(r -> r.method().equals("POST"))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(post.body().get("head").asString()).isEqualTo(branch);
        assertThat(post.body().get("base").asString()).isEqualTo("main");
        assertThat(post.body().get("title").asString()).isEqualTo("Write NOTES.md");
        assertThat(post.authorization()).isEqualTo("Bearer " + TOKEN);
        assertThat(created.prUrl()).endsWith("/acme/app/pull/" + created.prNumber());

        // The same request again returns the pull request already open.
        var again = (TaskPullRequestCreated) createPullRequest(taskId, request(1, TOKEN, "Other", null));
        assertThat(again.existing()).isTrue();
        assertThat(again.prNumber()).isEqualTo(created.prNumber());

        // A follow-up iteration's commit is pushed to the same branch, so the pull request follows.
        String before = git.branchHead("acme", "app", branch);
        Files.writeString(workspace.resolve("MORE.md"), "more\n");
        var followUp = branches().commitIteration(taskId, workspace, 2, "Add MORE.md", TOKEN, scope());
        assertThat(followUp).hasValueSatisfying(c -> assertThat(c.pushed()).isTrue());
        assertThat(git.branchHead("acme", "app", branch)).isNotEqualTo(before);
        assertThat(git.git("acme", "app", "log", "-1", "--format=%s", branch).strip())
                .isEqualTo("Add MORE.md");
        assertThat(git.git("acme", "app", "config", "--list")).doesNotContain(TOKEN);
        assertThat(Files.readString(workspace.resolve(".git/config"))).doesNotContain(TOKEN);
    }

    @Test
    void whatTheAgentWritesIntoTheWorkspacesGitCannotRedirectThePushOrReadTheToken() throws IOException {
        UUID taskId = UUID.randomUUID();
        Path workspace = cloneFor(taskId);
        Files.writeString(workspace.resolve("E.md"), "e\n");
        String elsewhere = git.createRepository("mallory", "loot", "mallory-token", Map.of("x", "x"));
        run(workspace, "git", "remote", "set-url", "origin", elsewhere);
        run(workspace, "git", "config", "url." + elsewhere + ".insteadOf", repoUrl);
        Path leaked = workspaces.resolve("leaked-" + taskId);
        Path hook = workspace.resolve(".git/hooks/pre-push");
        Files.writeString(hook, "#!/bin/sh\nenv > " + leaked + "\n");
        hook.toFile().setExecutable(true);

        TaskEvent answer = createPullRequest(taskId, request(1, TOKEN, null, null));

        assertThat(answer).isInstanceOf(TaskPullRequestCreated.class);
        String branch = ((TaskPullRequestCreated) answer).branch();
        assertThat(git.branchHead("acme", "app", branch)).isNotNull();
        assertThat(git.branchHead("mallory", "loot", branch)).isNull();
        assertThat(git.refusedRequests()).noneMatch(request -> request.contains("/mallory/"));
        assertThat(leaked).doesNotExist();
    }

    @Test
    void aWrongTokenFailsNamingTheTokenAndPushesNothing() throws IOException {
        UUID taskId = UUID.randomUUID();
        Path workspace = cloneFor(taskId);
        Files.writeString(workspace.resolve("A.md"), "a\n");

        var failed = (TaskPullRequestFailed) createPullRequest(taskId, request(1, "ghp_wrong_token", null, null));

        assertThat(failed.reason()).isEqualTo(TaskPullRequestFailed.Reason.BAD_TOKEN);
        assertThat(failed.error()).contains("access_token").doesNotContain("ghp_wrong_token");
        assertThat(git.branchHead("acme", "app", failed.branch())).isNull();
    }

    @Test
    void aTargetBranchGitHubDoesNotHaveIsNamed() throws IOException {
        UUID taskId = UUID.randomUUID();
        Files.writeString(cloneFor(taskId).resolve("F.md"), "f\n");

        var failed = (TaskPullRequestFailed) createPullRequest(taskId, request(1, TOKEN, null, "no-such-branch"));

        assertThat(failed.reason()).isEqualTo(TaskPullRequestFailed.Reason.INVALID_BASE);
        assertThat(failed.error()).contains("no-such-branch");
    }

    @Test
    void noChangesIsRefused() {
        UUID taskId = UUID.randomUUID();
        cloneFor(taskId);

        var failed = (TaskPullRequestFailed) createPullRequest(taskId, request(1, TOKEN, null, null));

        assertThat(failed.reason()).isEqualTo(TaskPullRequestFailed.Reason.NO_CHANGES);
    }

    @Test
    void aMissingTokenIsNamed() throws IOException {
        UUID taskId = UUID.randomUUID();
        Files.writeString(cloneFor(taskId).resolve("B.md"), "b\n");

        var failed = (TaskPullRequestFailed) createPullRequest(taskId, request(1, null, null, null));

        assertThat(failed.reason()).isEqualTo(TaskPullRequestFailed.Reason.BAD_TOKEN);
        assertThat(failed.error()).contains("access_token is required");
    }

    @Test
    void aRemoteThatIsNotGitHubIsRefused() throws IOException {
        UUID taskId = UUID.randomUUID();
        Files.writeString(cloneFor(taskId).resolve("C.md"), "c\n");
        var request = new CreatePullRequest(
                "pr-worker", 1, "https://gitlab.com/acme/app.git", null, null, null, "p", SEALER.seal(TOKEN));

        var failed = (TaskPullRequestFailed) createPullRequest(taskId, request);

        assertThat(failed.reason()).isEqualTo(TaskPullRequestFailed.Reason.NOT_GITHUB);
        assertThat(failed.error()).contains("only GitHub is supported yet");
    }

    @Test
    void aLostWorkspaceIsReported() {
        var failed = (TaskPullRequestFailed) createPullRequest(UUID.randomUUID(), request(1, TOKEN, null, null));

        assertThat(failed.reason()).isEqualTo(TaskPullRequestFailed.Reason.WORKSPACE_LOST);
    }

    @Test
    void aPersistentRateLimitEndsInAClearError() throws IOException {
        UUID taskId = UUID.randomUUID();
        Files.writeString(cloneFor(taskId).resolve("D.md"), "d\n");
        github.primaryRateLimitNext(3600);

        var failed = (TaskPullRequestFailed) createPullRequest(taskId, request(1, TOKEN, null, null));

        assertThat(failed.reason()).isEqualTo(TaskPullRequestFailed.Reason.RATE_LIMITED);
        assertThat(failed.error()).contains("rate limit");
    }

    @Test
    void anotherWorkersRequestIsIgnored() {
        var request = new CreatePullRequest("someone-else", 1, repoUrl, null, null, null, "p", null);

        assertThat(worker.getBean(PullRequests.class).submit(Envelope.of(UUID.randomUUID(), "t", request), null))
                .isFalse();
    }

    private CreatePullRequest request(
            int iteration, @org.jspecify.annotations.Nullable String token, String title, String target) {
        return new CreatePullRequest(
                "pr-worker",
                iteration,
                repoUrl,
                title,
                null,
                target,
                "Write NOTES.md\n\nPlease.",
                token == null ? null : SEALER.seal(token));
    }

    private TaskEvent createPullRequest(UUID taskId, CreatePullRequest request) {
        worker.getBean(PullRequests.class).create(Envelope.of(taskId, "tenant-1", request), null);
        List<TaskEvent> answers = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            answers.clear();
            answers.addAll(eventsOf(taskId));
            return !answers.isEmpty();
        });
        return answers.getLast();
    }

    private TaskBranches branches() {
        return worker.getBean(TaskBranches.class);
    }

    private static ProcessScope scope() {
        return new ProcessScope(Duration.ofSeconds(60), Duration.ofSeconds(1));
    }

    private Path cloneFor(UUID taskId) {
        Path workspace = workspaces.resolve(taskId.toString());
        String authenticated = repoUrl.replace("http://", "http://x:" + TOKEN + "@");
        run(workspaces, "git", "clone", "-q", authenticated, workspace.toString());
        run(workspace, "git", "remote", "set-url", "origin", repoUrl);
        return workspace;
    }

    private static void run(Path dir, String... argv) {
        try {
            Process process = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every event of the task so far, read from the start of every partition. */
    private static List<TaskEvent> eventsOf(UUID taskId) {
        List<TaskEvent> events = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASK_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(taskId.toString())) {
                        events.add(CODEC.decodeTaskEvent(record.value()).payload());
                    }
                }
            }
        }
        return events;
    }
}
