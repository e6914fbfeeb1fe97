package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.Envelope;
import dev.agentry.events.conversation.MessageCreated;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.WaitingInput;
import dev.agentry.events.task.TaskEvent;
import dev.agentry.events.task.TaskFailed;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.events.task.TaskPullRequestCreated;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.scheduler.webhook.WebhookPlatform.DeliveryRow;
import dev.agentry.testkit.webhook.StandardWebhooksVerifier;
import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Received;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookDeliveryTest {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static WebhookPlatform platform;
    private static ConfigurableApplicationContext scheduler;

    private final List<WebhookReceiver> receivers = new java.util.ArrayList<>();
    private String tenant;
    private String secret;

    @BeforeAll
    static void start() {
        platform = new WebhookPlatform();
        scheduler = platform.startScheduler();
    }

    @AfterAll
    static void stop() {
        scheduler.close();
        platform.close();
    }

    @BeforeEach
    void newTenant() {
        tenant = platform.newTenant();
        secret = platform.setSecret(tenant);
    }

    @AfterEach
    void closeReceivers() {
        receivers.forEach(WebhookReceiver::close);
    }

    @Test
    void deliversTheSeedPayloadSignedBothWaysWhenATaskCompletes() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        Envelope<TaskEvent> completed = platform.completed(task, tenant);

        platform.publish(completed);

        Received request = awaitRequests(receiver, 1).getFirst();
        assertThat(StandardWebhooksVerifier.verify(secret, request, Instant.now()))
                .isTrue();
        assertThat(request.header("x-agentry-event")).isEqualTo("task.completed");
        assertThat(request.header("x-trace-id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(request.header("content-type")).startsWith("application/json");
        JsonNode body = json.readTree(request.body());
        assertThat(body.get("task_id").asString()).isEqualTo(task.toString());
        assertThat(body.get("status").asString()).isEqualTo("completed");
        assertThat(body.get("result").asString()).isEqualTo("Task completed successfully.");
        assertThat(body.at("/changes_summary/files_changed").asInt()).isEqualTo(3);
        assertThat(body.at("/changes_summary/insertions").asInt()).isEqualTo(45);
        assertThat(body.at("/changes_summary/deletions").asInt()).isEqualTo(12);
        assertThat(body.at("/usage/input_tokens").asInt()).isEqualTo(1500);
        assertThat(body.at("/usage/output_tokens").asInt()).isEqualTo(500);
        assertThat(body.at("/usage/duration_seconds").asInt()).isEqualTo(120);
        assertThat(body.get("trace_id").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Instant.parse(body.get("finished_at").asString())).isEqualTo(completed.occurredAt());
        await().untilAsserted(() -> assertThat(platform.deliveriesOf(task))
                .singleElement()
                .satisfies(row -> assertThat(row.status()).isEqualTo("succeeded")));
    }

    @Test
    void aTamperedBodyOrAnOldTimestampFailsVerification() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        platform.publish(platform.completed(task, tenant));

        Received request = awaitRequests(receiver, 1).getFirst();
        byte[] tampered = request.bodyText().replace("completed", "c0mpleted").getBytes();

        assertThat(StandardWebhooksVerifier.verifyStandard(
                        secret,
                        request.header("webhook-id"),
                        request.header("webhook-timestamp"),
                        request.header("webhook-signature"),
                        tampered,
                        Instant.now()))
                .isFalse();
        assertThat(StandardWebhooksVerifier.verifySeed(secret, request.header("x-signature-256"), tampered))
                .isFalse();
        assertThat(StandardWebhooksVerifier.verifyStandard(
                        secret,
                        request.header("webhook-id"),
                        request.header("webhook-timestamp"),
                        request.header("webhook-signature"),
                        request.body(),
                        Instant.now().plus(Duration.ofMinutes(6))))
                .isFalse();
    }

    @Test
    void retriesAReceiverThatIsDownUntilItAnswersThenStops() {
        WebhookReceiver receiver = receiver(n -> n <= 2 ? Reply.status(503) : Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        platform.publish(platform.completed(task, tenant));

        DeliveryRow delivery = awaitFinished(task, "succeeded");

        List<Received> requests = receiver.received();
        assertThat(requests).hasSize(3);
        assertThat(requests)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(delivery.id().toString());
        assertThat(requests)
                .extracting(Received::bodyText)
                .containsOnly(requests.getFirst().bodyText());
        assertThat(requests)
                .allSatisfy(r -> assertThat(StandardWebhooksVerifier.verify(secret, r, Instant.now()))
                        .isTrue());
        assertThat(platform.attemptsOf(delivery.id()))
                .extracting(WebhookPlatform.AttemptRow::statusCode)
                .containsExactly(503, 503, 200);
    }

    @Test
    void retriesWhenNothingListensAndGivesUpAfterTheLastAttempt() {
        String nobody = "http://127.0.0.1:" + WebhookPlatform.freePort() + "/hook";
        UUID task = platform.newTask(tenant, nobody);
        platform.publish(platform.completed(task, tenant));

        DeliveryRow delivery = awaitFinished(task, "dead");

        assertThat(delivery.attempts()).isEqualTo(5);
        assertThat(platform.attemptsOf(delivery.id())).hasSize(5).allSatisfy(attempt -> {
            assertThat(attempt.statusCode()).isNull();
            assertThat(attempt.error()).isNotBlank();
        });
    }

    @Test
    void stopsRetryingWhenTheEndpointIsGoneAndSendsItNothingMoreForOlderTasks() {
        WebhookReceiver receiver = receiver(n -> Reply.status(410));
        UUID first = platform.newTask(tenant, receiver.url());
        UUID second = platform.newTask(tenant, receiver.url());
        platform.publish(platform.completed(first, tenant));

        awaitFinished(first, "dead");
        platform.publish(platform.completed(second, tenant));
        DeliveryRow skipped = awaitFinished(second, "dead");

        assertThat(receiver.received()).hasSize(1);
        assertThat(skipped.attempts()).isZero();
        assertThat(platform.jdbc
                        .sql("select count(*) from webhook_gone_endpoints where tenant_id = ?")
                        .param(tenant)
                        .query(Integer.class)
                        .single())
                .isOne();
    }

    @Test
    void waitsAsLongAsRetryAfterSaysOn429() {
        WebhookReceiver receiver =
                receiver(n -> n == 1 ? Reply.status(429).withHeader("Retry-After", "2") : Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        platform.publish(platform.completed(task, tenant));

        awaitFinished(task, "succeeded");

        List<Received> requests = receiver.received();
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void doesNotFollowARedirect() {
        WebhookReceiver target = receiver(n -> Reply.ok());
        WebhookReceiver redirecting = receiver(n -> Reply.status(302).withHeader("Location", target.url("/elsewhere")));
        UUID task = platform.newTask(tenant, redirecting.url());
        platform.publish(platform.completed(task, tenant));

        DeliveryRow delivery = awaitFinished(task, "dead");

        assertThat(target.received()).isEmpty();
        assertThat(redirecting.received()).hasSize(5);
        assertThat(platform.attemptsOf(delivery.id()))
                .extracting(WebhookPlatform.AttemptRow::statusCode)
                .containsOnly(302);
    }

    @Test
    void refusesTheCloudMetadataAddressWithoutSendingAnything() {
        UUID task = platform.newTask(tenant, "http://169.254.169.254/latest/meta-data/");
        platform.publish(platform.completed(task, tenant));

        DeliveryRow delivery = awaitFinished(task, "dead");

        assertThat(platform.attemptsOf(delivery.id())).singleElement().satisfies(attempt -> {
            assertThat(attempt.statusCode()).isNull();
            assertThat(attempt.error()).contains("169.254.169.254").contains("link-local");
        });
    }

    @Test
    void aSlowEndpointDoesNotDelayDeliveriesToAnother() {
        WebhookReceiver slow = receiver(n -> Reply.ok().after(Duration.ofSeconds(5)));
        WebhookReceiver fast = receiver(n -> Reply.ok());
        UUID slowTask = platform.newTask(tenant, slow.url().replace("127.0.0.1", "localhost"));
        UUID fastTask = platform.newTask(tenant, fast.url());
        // Twenty attempts hang on the slow endpoint.
        for (int i = 0; i < 20; i++) {
            platform.publish(platform.completed(slowTask, tenant));
        }
        Instant published = Instant.now();
        platform.publish(platform.completed(fastTask, tenant));

        awaitRequests(fast, 1);

        assertThat(Duration.between(published, fast.received().getFirst().at())).isLessThan(Duration.ofSeconds(1));
        assertThat(slow.received()).isNotEmpty();
    }

    @Test
    void aFailingEndpointOpensOnlyItsOwnCircuitAndTheDeliveriesItTurnsAwayAreNotCounted() {
        WebhookReceiver failing = receiver(n -> Reply.status(500));
        WebhookReceiver healthy = receiver(n -> Reply.ok());
        // Four deliveries of five attempts each: twenty failures, the circuit's minimum, all to one host:port.
        List<UUID> failed = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID task = platform.newTask(tenant, failing.url());
            failed.add(task);
            platform.publish(platform.completed(task, tenant));
        }
        failed.forEach(task -> awaitFinished(task, "dead"));
        assertThat(failing.received()).hasSize(20);

        UUID turnedAway = platform.newTask(tenant, failing.url());
        UUID sameHostOtherPort = platform.newTask(tenant, healthy.url());
        platform.publish(platform.completed(turnedAway, tenant));
        platform.publish(platform.completed(sameHostOtherPort, tenant));

        awaitRequests(healthy, 1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> platform.deliveriesOf(turnedAway).stream()
                        .anyMatch(row -> row.status().equals("pending") && row.attempts() == 0));
        assertThat(failing.received()).hasSize(20);
    }

    @Test
    void redeliversOnRequestWithTheSameIdAndAFreshSignature() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        platform.publish(platform.completed(task, tenant));
        DeliveryRow delivery = awaitFinished(task, "succeeded");

        platform.jdbc
                .sql("update webhook_deliveries set redeliver_requested_at = now() where id = ?")
                .param(delivery.id())
                .update();

        List<Received> requests = awaitRequests(receiver, 2);
        assertThat(requests)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(delivery.id().toString());
        assertThat(requests.get(1).bodyText()).isEqualTo(requests.get(0).bodyText());
        assertThat(StandardWebhooksVerifier.verify(secret, requests.get(1), Instant.now()))
                .isTrue();
        await().untilAsserted(() -> assertThat(platform.attemptsOf(delivery.id()))
                .extracting(WebhookPlatform.AttemptRow::manual)
                .containsExactly(false, true));
    }

    @Test
    void signsWithTheOldAndTheNewSecretDuringARotationWindow() {
        String older = secret;
        String newer = SigningSecrets.generate();
        platform.jdbc
                .sql("""
                        update webhook_secrets set previous_secret_sealed = secret_sealed, secret_sealed = ?,
                               previous_expires_at = now() + interval '1 hour' where tenant_id = ?""")
                .params(WebhookPlatform.SEALER.seal(newer).value(), tenant)
                .update();
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        platform.publish(platform.completed(task, tenant));

        Received request = awaitRequests(receiver, 1).getFirst();

        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(StandardWebhooksVerifier.verify(newer, request, Instant.now()))
                .isTrue();
        assertThat(StandardWebhooksVerifier.verifyStandard(
                        older,
                        request.header("webhook-id"),
                        request.header("webhook-timestamp"),
                        request.header("webhook-signature"),
                        request.body(),
                        Instant.now()))
                .isTrue();
    }

    @Test
    void sendsFailuresWithTheErrorAndStartsOnlyToTenantsThatAskForThem() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        platform.publish(Envelope.of(task, tenant, new TaskStarted(1, "worker-1", 1, "running")));
        platform.publish(Envelope.of(task, tenant, new TaskFailed(1, "clone failed", FailureReason.CLONE, null, null)));

        Received failed = awaitRequests(receiver, 1).getFirst();
        JsonNode body = json.readTree(failed.body());
        assertThat(body.get("status").asString()).isEqualTo("failed");
        assertThat(body.get("error").asString()).isEqualTo("clone failed");
        assertThat(failed.header("x-agentry-event")).isEqualTo("task.failed");

        String subscriber = platform.newTenant();
        platform.jdbc
                .sql("insert into webhook_settings (tenant_id, event_types, updated_at) values (?, ?, now())")
                .params(subscriber, new String[] {"task.started", "task.completed"})
                .update();
        UUID watched = platform.newTask(subscriber, receiver.url("/started"));
        platform.publish(Envelope.of(watched, subscriber, new TaskStarted(1, "worker-1", 1, "cloning")));

        Received started = awaitRequests(receiver, 2).get(1);
        assertThat(started.path()).isEqualTo("/started");
        assertThat(started.header("x-agentry-event")).isEqualTo("task.started");
        assertThat(receiver.received())
                .noneMatch(r -> "task.started".equals(r.header("x-agentry-event"))
                        && r.path().equals("/hook"));
    }

    @Test
    void sendsOneTerminalWebhookPerIterationWhateverRacesOrRepeats() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        // The API's cancel, the worker's own failure as it dies of the cancel, the reaper's, a late completion, and
        // the API's cancel delivered a second time: one iteration, one terminal webhook, the first in the partition.
        Envelope<TaskEvent> cancel = Envelope.of(
                task, tenant, new TaskFailed(1, "Cancelled by request.", FailureReason.CANCELLED, null, null));
        platform.publish(cancel);
        platform.publish(
                Envelope.of(task, tenant, new TaskFailed(1, "cancelled", FailureReason.CANCELLED, null, null)));
        platform.publish(Envelope.of(task, tenant, new TaskFailed(1, "lost", FailureReason.WORKER_LOST, null, null)));
        platform.publish(platform.completed(task, tenant));
        platform.publish(cancel);
        // A follow-up iteration has a terminal webhook of its own.
        platform.publish(Envelope.of(task, tenant, new TaskFailed(2, "second", FailureReason.RUNTIME, null, null)));

        platform.awaitAllConsumed();
        awaitRequests(receiver, 2);

        assertThat(platform.deliveriesOf(task)).hasSize(2);
        assertThat(receiver.received())
                .extracting(r -> r.header("x-agentry-event") + " "
                        + json.readTree(r.body()).get("iteration").asInt() + " "
                        + json.readTree(r.body()).get("error").asString())
                .containsExactlyInAnyOrder("task.failed 1 Cancelled by request.", "task.failed 2 second");
        assertThat(receiver.received().stream().map(r -> r.header("webhook-id")).distinct())
                .hasSize(2);
    }

    @Test
    void deliversConversationMessagesAndQuestionsSignedToTheTenantsEndpoint() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        platform.jdbc
                .sql("insert into webhook_settings (tenant_id, event_types, url, updated_at) values (?, ?, ?, now())")
                .params(
                        tenant,
                        new String[] {"task.completed", "conversation.message.created", "conversation.waiting_input"},
                        receiver.url("/conversations"))
                .update();
        UUID conversation = UUID.randomUUID();
        UUID message = UUID.randomUUID();
        Instant createdAt = Instant.parse("2026-12-02T09:00:00.123Z");

        platform.publishNotice(Envelope.of(
                conversation,
                tenant,
                new MessageCreated("user-1", message, "assistant", "Booked.", "worker", createdAt)));
        platform.publishNotice(Envelope.of(
                conversation,
                tenant,
                new WaitingInput("user-1", new PendingQuestion("choice", "Which day?", List.of("Mon", "Tue")))));

        List<Received> requests = awaitRequests(receiver, 2);
        assertThat(requests).allSatisfy(request -> {
            assertThat(StandardWebhooksVerifier.verify(secret, request, Instant.now()))
                    .isTrue();
            assertThat(request.path()).isEqualTo("/conversations");
        });
        Received created = requests.stream()
                .filter(r -> "conversation.message.created".equals(r.header("x-agentry-event")))
                .findFirst()
                .orElseThrow();
        JsonNode body = json.readTree(created.body());
        assertThat(body.get("event").asString()).isEqualTo("conversation.message.created");
        assertThat(body.get("conversationId").asString()).isEqualTo(conversation.toString());
        assertThat(body.get("userId").asString()).isEqualTo("user-1");
        assertThat(body.get("message").get("id").asString()).isEqualTo(message.toString());
        assertThat(body.get("message").get("content").asString()).isEqualTo("Booked.");
        assertThat(body.get("message").get("source").asString()).isEqualTo("worker");
        assertThat(body.get("message").get("createdAt").asString()).isEqualTo(createdAt.toString());
        Received waiting = requests.stream()
                .filter(r -> "conversation.waiting_input".equals(r.header("x-agentry-event")))
                .findFirst()
                .orElseThrow();
        JsonNode question = json.readTree(waiting.body()).get("pendingQuestion");
        assertThat(question.get("prompt").asString()).isEqualTo("Which day?");
        assertThat(question.get("options").valueStream().map(JsonNode::asString))
                .containsExactly("Mon", "Tue");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> platform.jdbc
                                .sql("select count(*) from webhook_deliveries where conversation_id = ? and task_id"
                                        + " is null and status = 'succeeded'")
                                .param(conversation)
                                .query(Integer.class)
                                .single()
                        == 2);
    }

    @Test
    void conversationEventsGoOnlyToTenantsWithAnEndpointThatSubscribeToThem() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        platform.jdbc
                .sql("insert into webhook_settings (tenant_id, event_types, url, updated_at) values (?, ?, ?, now())")
                .params(tenant, new String[] {"conversation.waiting_input"}, receiver.url("/questions"))
                .update();
        String withoutEndpoint = platform.newTenant();
        platform.subscribe(withoutEndpoint, "conversation.message.created", "conversation.waiting_input");
        UUID conversation = UUID.randomUUID();
        PendingQuestion question = new PendingQuestion("input", "Which city?", null);

        platform.publishNotice(Envelope.of(
                conversation,
                tenant,
                new MessageCreated("user-1", UUID.randomUUID(), "user", "Hi", "chat", Instant.now())));
        platform.publishNotice(Envelope.of(conversation, withoutEndpoint, new WaitingInput("user-2", question)));
        platform.publishNotice(Envelope.of(conversation, tenant, new WaitingInput("user-1", question)));

        Received only = awaitRequests(receiver, 1).getFirst();
        // One partition (the conversation's key), in order: the notices before it were consumed already.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> receiver.received().size() == 1);
        assertThat(only.header("x-agentry-event")).isEqualTo("conversation.waiting_input");
        assertThat(json.readTree(only.body())
                        .get("pendingQuestion")
                        .get("options")
                        .isNull())
                .isTrue();
    }

    @Test
    void doesNotDeliverEventsOlderThanTheMaximumAge() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        Envelope<TaskEvent> fresh = platform.completed(task, tenant);
        Envelope<TaskEvent> old = new Envelope<>(
                UUID.randomUUID(),
                fresh.type(),
                task,
                tenant,
                Instant.now().minus(Duration.ofDays(2)),
                fresh.schemaVersion(),
                fresh.payload());
        platform.publish(old);
        // Same key, same partition: once the fresh one is delivered, the old one has been seen.
        platform.publish(fresh);

        awaitFinished(task, "succeeded");

        assertThat(platform.deliveriesOf(task)).hasSize(1);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void deliversPrCreatedWithThePullRequestAndTheTasksOutcome() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID task = platform.newTask(tenant, receiver.url());
        platform.jdbc.sql("""
                        update tasks set result = 'Done.', usage = '{"input_tokens":7,"output_tokens":3,"duration_seconds":2}',
                               changes_summary = '{"files_changed":1,"insertions":2,"deletions":0}' where id = ?""").param(task).update();

        platform.publish(Envelope.of(
                task,
                tenant,
                new TaskPullRequestCreated(
                        1, "worker-1", "agentry/" + task, 42, "https://github.com/a/b/pull/42", false)));

        Received request = awaitRequests(receiver, 1).getFirst();
        assertThat(request.header("x-agentry-event")).isEqualTo("task.pr_created");
        assertThat(StandardWebhooksVerifier.verify(secret, request, Instant.now()))
                .isTrue();
        JsonNode body = json.readTree(request.body());
        assertThat(body.get("status").asString()).isEqualTo("pr_created");
        assertThat(body.get("pr_url").asString()).isEqualTo("https://github.com/a/b/pull/42");
        assertThat(body.get("pr_number").asInt()).isEqualTo(42);
        assertThat(body.get("result").asString()).isEqualTo("Done.");
        assertThat(body.at("/usage/input_tokens").asInt()).isEqualTo(7);
        assertThat(body.at("/changes_summary/insertions").asInt()).isEqualTo(2);
    }

    @Test
    void aTasksOwnChoiceOfEventsWinsOverItsTenantsSubscription() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        platform.subscribe(tenant, "task.completed");
        UUID startsOnly = platform.newTask(UUID.randomUUID(), tenant, receiver.url("/starts"), List.of("task.started"));
        UUID silent = platform.newTask(UUID.randomUUID(), tenant, receiver.url("/silent"), List.of());
        UUID follows = platform.newTask(UUID.randomUUID(), tenant, receiver.url("/follows"), null);
        for (UUID task : List.of(startsOnly, silent, follows)) {
            platform.publish(Envelope.of(task, tenant, new TaskStarted(1, "worker-1", 1, "cloning")));
            platform.publish(platform.completed(task, tenant));
        }

        platform.awaitAllConsumed();
        awaitRequests(receiver, 2);

        assertThat(receiver.received())
                .extracting(r -> r.path() + " " + r.header("x-agentry-event"))
                .containsExactlyInAnyOrder("/starts task.started", "/follows task.completed");
        assertThat(platform.deliveriesOf(silent)).isEmpty();
    }

    @Test
    void deliversTheEndOfEveryIterationAsItsOwnEventToThoseWhoChooseIt() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        platform.subscribe(tenant, "task.completed", "task.iteration.completed");
        UUID task = platform.newTask(tenant, receiver.url());
        Envelope<TaskEvent> first = platform.completed(task, tenant);
        platform.publish(first);
        platform.publish(
                Envelope.of(task, tenant, new TaskFailed(2, "The agent gave up.", FailureReason.RUNTIME, null, null)));

        List<Received> requests = awaitRequests(receiver, 3);
        platform.awaitAllConsumed();

        assertThat(receiver.received()).hasSize(3);
        assertThat(requests)
                .extracting(r -> {
                    JsonNode body = json.readTree(r.body());
                    return r.header("x-agentry-event") + " " + body.get("event").asString() + " "
                            + body.get("iteration").asInt() + " "
                            + body.get("status").asString();
                })
                .containsExactlyInAnyOrder(
                        "task.completed task.completed 1 completed",
                        "task.iteration.completed task.iteration.completed 1 completed",
                        "task.iteration.completed task.iteration.completed 2 failed");
        assertThat(requests).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates();
        assertThat(requests)
                .allSatisfy(r -> assertThat(StandardWebhooksVerifier.verify(secret, r, Instant.now()))
                        .isTrue());
        Received failedIteration = requests.stream()
                .filter(r -> json.readTree(r.body()).get("iteration").asInt() == 2)
                .findFirst()
                .orElseThrow();
        assertThat(json.readTree(failedIteration.body()).get("error").asString())
                .isEqualTo("The agent gave up.");
    }

    @Test
    void anEventWhoseTaskIsUnknownDoesNotHoldUpTheOthersInItsBatch() {
        WebhookReceiver receiver = receiver(n -> Reply.ok());
        UUID before = platform.newTask(tenant, receiver.url("/before"));
        UUID unknown = UUID.randomUUID();
        UUID after = platform.newTask(tenant, receiver.url("/after"));
        // One partition, so one consumer sees them in this order; this scheduler skips an unknown task at once.
        platform.publish(platform.completed(before, tenant), 0);
        platform.publish(platform.completed(unknown, tenant), 0);
        platform.publish(platform.completed(after, tenant), 0);

        awaitRequests(receiver, 2);
        platform.awaitAllConsumed();

        assertThat(receiver.received()).extracting(Received::path).containsExactlyInAnyOrder("/before", "/after");
        assertThat(platform.deliveriesOf(unknown)).isEmpty();
    }

    @Test
    void publishesTheBacklogGaugesWithTheOtherMetrics() {
        io.micrometer.core.instrument.MeterRegistry meters =
                scheduler.getBean(io.micrometer.core.instrument.MeterRegistry.class);

        assertThat(meters.get("agentry.webhook.backlog").gauge().value()).isNotNegative();
        assertThat(meters.get("agentry.webhook.backlog.oldest").gauge().value()).isNotNegative();
    }

    private WebhookReceiver receiver(java.util.function.IntFunction<Reply> script) {
        WebhookReceiver receiver = WebhookReceiver.start(script);
        receivers.add(receiver);
        return receiver;
    }

    private static List<Received> awaitRequests(WebhookReceiver receiver, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= count);
        return receiver.received();
    }

    private static DeliveryRow awaitFinished(UUID task, String status) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> platform.deliveriesOf(task).stream()
                        .anyMatch(row -> row.status().equals(status)));
        return platform.deliveriesOf(task).stream()
                .filter(row -> row.status().equals(status))
                .findFirst()
                .orElseThrow();
    }
}
