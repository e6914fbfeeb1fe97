package dev.agentry.api.pullrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.Envelope;
import dev.agentry.events.Message;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.CreatePullRequest;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskPullRequestFailed;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import dev.agentry.events.task.WorkspaceReported;
import dev.agentry.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestPropertySource;

/** create-pr against the real API, PostgreSQL and Kafka; the test plays the worker on the topics. */
@TestPropertySource(
        properties = {"agentry.api.pull-requests.wait-timeout=4s", "agentry.api.pull-requests.resend-after=2s"})
class PullRequestApiTest extends ApiIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ACCESS_TOKEN = "ghp_api_pr_test_token";
    private static final String PR_7 = "https://github.com/acme/app/pull/7";
    private final MessageCodec codec = new MessageCodec();
    private final KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            Map.of("bootstrap.servers", TestKafka.bootstrapServers(), "acks", "all"),
            new StringSerializer(),
            new ByteArraySerializer());

    @AfterEach
    void closeProducer() {
        producer.close();
    }

    @Test
    void createsThePullRequestTheWorkerOpensAndShowsItOnTheTask() {
        UUID id = completedTaskOn("worker-7", "https://github.com/acme/app.git", ACCESS_TOKEN);

        var response = CompletableFuture.supplyAsync(() -> post(
                "/api/v1/tasks/" + id + "/create-pr",
                "{\"title\":\"Fix auth\",\"description\":\"Why\",\"target_branch\":\"develop\"}"));
        CreatePullRequest asked = awaitControl(id);
        await().atMost(WAIT).until(() -> status(id).equals("creating_pr"));
        publish(
                id,
                new TaskPullRequestCreated(
                        1,
                        "worker-7",
                        "agentry/task-" + id.toString().substring(0, 8),
                        42,
                        "https://github.com/acme/app/pull/42",
                        false));

        Response created = response.join();
        assertThat(asked.workerId()).isEqualTo("worker-7");
        assertThat(asked.title()).isEqualTo("Fix auth");
        assertThat(asked.description()).isEqualTo("Why");
        assertThat(asked.targetBranch()).isEqualTo("develop");
        assertThat(asked.repoUrl()).isEqualTo("https://github.com/acme/app.git");
        assertThat(asked.accessToken()).isNotNull();
        assertThat(asked.accessToken().value()).doesNotContain(ACCESS_TOKEN);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().get("pr_url").asString()).isEqualTo("https://github.com/acme/app/pull/42");
        assertThat(created.json().get("pr_number").asInt()).isEqualTo(42);
        assertThat(created.json().get("branch").asString()).startsWith("agentry/task-");
        var task = get("/api/v1/tasks/" + id).json();
        assertThat(task.get("status").asString()).isEqualTo("pr_created");
        assertThat(task.get("pr_number").asInt()).isEqualTo(42);
        assertThat(task.get("pr_url").asString()).isEqualTo("https://github.com/acme/app/pull/42");
        assertThat(task.get("branch").asString())
                .isEqualTo(created.json().get("branch").asString());

        Response again = post("/api/v1/tasks/" + id + "/create-pr", "{}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("pr_number").asInt()).isEqualTo(42);
    }

    /**
     * The request waits on an instance that does not project, with a wait far longer than the test allows: only the
     * projected answer, reaching that instance on the live feed, can end it in time.
     */
    @Test
    void theAnswerProjectedByAnotherInstanceEndsTheWaitAtOnce() {
        UUID id = completedTaskOn("worker-6", "https://github.com/acme/app.git", ACCESS_TOKEN);
        try (ConfigurableApplicationContext waiting = startAnotherInstance(
                "--agentry.api.projector-enabled=false", "--agentry.api.pull-requests.wait-timeout=5m")) {
            int port = portOf(waiting);

            var response = CompletableFuture.supplyAsync(() -> send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/api/v1/tasks/" + id + "/create-pr"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TOKEN)));
            awaitControl(id);
            publish(
                    id,
                    new TaskPullRequestCreated(
                            1, "worker-6", "agentry/task-" + id.toString().substring(0, 8), 7, PR_7, false));

            Response created =
                    response.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            assertThat(created.status()).as(created.body()).isEqualTo(200);
            assertThat(created.json().get("pr_number").asInt()).isEqualTo(7);
            assertThat(created.json().get("pr_url").asString()).isEqualTo(PR_7);
        }
    }

    @Test
    void aRefusedTokenIs422AndLeavesTheTaskCompletedWithTheError() {
        UUID id = completedTaskOn("worker-8", "https://github.com/acme/app.git", ACCESS_TOKEN);

        var response = CompletableFuture.supplyAsync(() -> post("/api/v1/tasks/" + id + "/create-pr", "{}"));
        awaitControl(id);
        publish(
                id,
                new TaskPullRequestFailed(
                        1,
                        "GitHub refused access_token for acme/app (401): Bad credentials",
                        TaskPullRequestFailed.Reason.BAD_TOKEN,
                        "agentry/task-x"));

        Response failed = response.join();
        assertThat(failed.status()).as(failed.body()).isEqualTo(422);
        assertThat(failed.json().at("/fields/access_token").isMissingNode()).isFalse();
        assertThat(failed.json().get("message").asString()).contains("Bad credentials");
        var task = get("/api/v1/tasks/" + id).json();
        assertThat(task.get("status").asString()).isEqualTo("completed");
        assertThat(task.get("pr_error").asString()).contains("Bad credentials");
    }

    @Test
    void noChangesIsAConflict() {
        UUID id = completedTaskOn("worker-9", "https://github.com/acme/app.git", ACCESS_TOKEN);

        var response = CompletableFuture.supplyAsync(() -> post("/api/v1/tasks/" + id + "/create-pr", "{}"));
        awaitControl(id);
        publish(
                id,
                new TaskPullRequestFailed(
                        1,
                        "the task made no changes, so there is nothing to push",
                        TaskPullRequestFailed.Reason.NO_CHANGES,
                        null));

        assertThat(response.join().status()).isEqualTo(409);
        assertThat(status(id)).isEqualTo("completed");
    }

    @Test
    void aTargetBranchGitHubDoesNotHaveIs422NamingIt() {
        UUID id = completedTaskOn("worker-14", "https://github.com/acme/app.git", ACCESS_TOKEN);

        var response = CompletableFuture.supplyAsync(
                () -> post("/api/v1/tasks/" + id + "/create-pr", "{\"target_branch\":\"nope\"}"));
        awaitControl(id);
        publish(
                id,
                new TaskPullRequestFailed(
                        1, "GitHub has no branch nope to merge into", TaskPullRequestFailed.Reason.INVALID_BASE, "b"));

        Response failed = response.join();
        assertThat(failed.status()).isEqualTo(422);
        assertThat(failed.json().at("/fields/target_branch").asString()).isNotEmpty();
        assertThat(status(id)).isEqualTo("completed");
    }

    @Test
    void gitHubStillRateLimitingIs503WithRetryAfter() {
        UUID id = completedTaskOn("worker-16", "https://github.com/acme/app.git", ACCESS_TOKEN);

        var response = CompletableFuture.supplyAsync(() -> post("/api/v1/tasks/" + id + "/create-pr", "{}"));
        awaitControl(id);
        publish(
                id,
                new TaskPullRequestFailed(
                        1,
                        "GitHub kept rate-limiting the token; try again later",
                        TaskPullRequestFailed.Reason.RATE_LIMITED,
                        "b"));

        Response failed = response.join();
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).isPresent();
        assertThat(failed.json().get("error").asString()).isEqualTo("github rate limited");
        assertThat(status(id)).isEqualTo("completed");
    }

    @Test
    void aSlowWorkerGets202WithTheTaskStillCreatingThePullRequest() {
        UUID id = completedTaskOn("worker-10", "https://github.com/acme/app.git", ACCESS_TOKEN);

        Response accepted = post("/api/v1/tasks/" + id + "/create-pr", "{}");

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().get("status").asString()).isEqualTo("creating_pr");
        assertThat(status(id)).isEqualTo("creating_pr");
        assertThat(post("/api/v1/tasks/" + id + "/instruct", "{\"prompt\":\"more\"}")
                        .status())
                .isEqualTo(409);

        // Asked again after resend-after, the worker is asked again; its answer still completes the task.
        assertThat(post("/api/v1/tasks/" + id + "/create-pr", "{}").status()).isEqualTo(202);
        await().atMost(WAIT).until(() -> createRequests(id).size() == 2);
        publish(
                id,
                new TaskPullRequestCreated(
                        1, "worker-10", "agentry/task-x", 7, "https://github.com/acme/app/pull/7", true));
        await().atMost(WAIT).until(() -> status(id).equals("pr_created"));
    }

    @Test
    void titlesAndBranchesGitHubWouldRefuseAre400() {
        UUID id = completedTaskOn("worker-15", "https://github.com/acme/app.git", ACCESS_TOKEN);

        Response response = post(
                "/api/v1/tasks/" + id + "/create-pr",
                "{\"title\":\"" + "t".repeat(300) + "\",\"target_branch\":\"../main\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/fields/title").asString()).contains("256");
        assertThat(response.json().at("/fields/target_branch").asString()).isNotEmpty();
        assertThat(status(id)).isEqualTo("completed");
    }

    @Test
    void aTaskThatHasNotFinishedIsAConflict() {
        String id = createTask(body("https://github.com/acme/app.git", ACCESS_TOKEN));

        Response response = post("/api/v1/tasks/" + id + "/create-pr", "{}");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("message").asString()).contains("once it has completed");
    }

    @Test
    void aTaskWithoutAnAccessTokenIs422NamingIt() {
        UUID id = completedTaskOn("worker-11", "https://github.com/acme/app.git", null);

        Response response = post("/api/v1/tasks/" + id + "/create-pr", "{}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().at("/fields/access_token").asString()).contains("required");
        assertThat(status(id)).isEqualTo("completed");
    }

    @Test
    void aRemoteThatIsNotGitHubIs422() {
        UUID id = completedTaskOn("worker-12", "https://gitlab.com/acme/app.git", ACCESS_TOKEN);

        Response response = post("/api/v1/tasks/" + id + "/create-pr", "{}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("message").asString()).contains("only GitHub is supported yet");
    }

    @Test
    void anotherTenantsTaskIsNotFound() {
        UUID id = completedTaskOn("worker-13", "https://github.com/acme/app.git", ACCESS_TOKEN);

        assertThat(post("/api/v1/tasks/" + id + "/create-pr", "{}", OTHER_TOKEN).status())
                .isEqualTo(404);
    }

    private UUID completedTaskOn(String worker, String repoUrl, @org.jspecify.annotations.Nullable String token) {
        UUID id = UUID.fromString(createTask(body(repoUrl, token)));
        publish(id, new TaskStarted(1, worker, 1, "cloning"));
        publish(id, new WorkspaceReported(worker, 1024, Instant.now(), Instant.now()));
        publish(id, new TaskCompleted(1, "done", Usage.none(1), new ChangesSummary(1, 1, 0), "s"));
        await().atMost(WAIT)
                .until(() -> status(id).equals("completed")
                        && jdbc.sql("select count(*) from workspaces where task_id = ?")
                                        .param(id)
                                        .query(Integer.class)
                                        .single()
                                == 1);
        return id;
    }

    private static String body(String repoUrl, @org.jspecify.annotations.Nullable String token) {
        return """
                {"repo_url":"%s","prompt":"Fix the auth tests",%s"config":{"cli":"claude-code"}}""".formatted(repoUrl, token == null ? "" : "\"access_token\":\"" + token + "\",");
    }

    private String status(UUID id) {
        return get("/api/v1/tasks/" + id).json().get("status").asString();
    }

    private void publish(UUID id, Message event) {
        Envelope<Message> envelope = Envelope.of(id, "tenant-a", event);
        try {
            producer.send(new ProducerRecord<>(Topics.TASK_EVENTS, envelope.key(), codec.encode(envelope)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The create-pr message sent for the task, read from the start of the control topic without a group. */
    private CreatePullRequest awaitControl(UUID id) {
        List<CreatePullRequest> found = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            found.clear();
            found.addAll(createRequests(id));
            return !found.isEmpty();
        });
        return found.getFirst();
    }

    /** Every create-pr message sent for the task so far. */
    private List<CreatePullRequest> createRequests(UUID id) {
        List<CreatePullRequest> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of("bootstrap.servers", TestKafka.bootstrapServers()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            await().atMost(WAIT)
                    .until(() -> !consumer.partitionsFor(Topics.TASK_CONTROL).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASK_CONTROL).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(id.toString())
                            && codec.decodeTaskControl(record.value()).payload() instanceof CreatePullRequest create) {
                        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                                .doesNotContain(ACCESS_TOKEN);
                        found.add(create);
                    }
                }
            }
        }
        return found;
    }
}
