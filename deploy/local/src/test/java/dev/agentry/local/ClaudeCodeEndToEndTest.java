package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.agentry.events.Topics;
import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestGitRepository;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.messages.ClaudeCodeCli;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline with the real Claude Code CLI: HTTP, outbox, Kafka, a worker cloning a real git repository
 * and running the CLI against a scripted Messages API, events, projection, PostgreSQL. The task's git token and AI key
 * must never show on a topic, in the API's answers or in any service's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaudeCodeEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ACCESS_TOKEN = "ghp_e2e_secret_token_4f8a";
    private static final String AI_KEY = "sk-ant-e2e-secret-key-91c2";

    @TempDir
    static Path dataDir;

    private ScriptedMessagesApi model;
    private TestGitRepository repository;
    private LocalPlatform platform;
    private PlatformClient client;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    void startPlatform() throws Exception {
        String cli = ClaudeCodeCli.pathOrSkip();
        model = ScriptedMessagesApi.start();
        repository = TestGitRepository.withReadme();
        TestDatabase.Database database = TestDatabase.create();
        platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "e2e-claude-" + UUID.randomUUID())
                .withProperty("agentry.api.projector-group", "e2e-claude-" + UUID.randomUUID())
                .withProperty("agentry.worker.claude-code.cli-path", cli)
                .withProperty("agentry.worker.claude-code.base-url", model.baseUrl())
                .withProperty(
                        "agentry.worker.workspace-root",
                        dataDir.resolve("workspaces").toString()));
        client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
        // Every log event of every service from here on (after the services set logging up), to search for secrets.
        logs.start();
        rootLogger().addAppender(logs);
    }

    @AfterAll
    void stopPlatform() throws Exception {
        rootLogger().detachAppender(logs);
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void anAgentThatEditsAFileCompletesWithChangesAndUsage() {
        model.replyToolUse(
                "Bash", Map.of("command", "printf 'written by the agent\\n' > NOTES.md", "description", "write notes"));
        model.replyText("I wrote NOTES.md.");

        String id = client.submit(task("Write NOTES.md", 120));

        await().atMost(WAIT).until(() -> client.terminal(id));
        JsonNode task = client.task(id);
        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("completed");
        assertThat(task.get("result").asString()).contains("I wrote NOTES.md.");
        assertThat(task.get("iteration").asInt()).isEqualTo(1);
        assertThat(task.at("/changes_summary/files_changed").asInt()).isEqualTo(1);
        assertThat(task.at("/changes_summary/insertions").asInt()).isPositive();
        assertThat(task.at("/usage/input_tokens").asLong()).isPositive();
        assertThat(task.at("/usage/output_tokens").asLong()).isPositive();
        assertThat(model.turns()).isNotEmpty();
        assertThat(model.turns().getFirst().carriesApiKey(AI_KEY)).isTrue();
    }

    @Test
    void anAgentErrorFailsTheTaskWithTheCliMessage() {
        model.replyError(400, "invalid_request_error", "scripted refusal");

        String id = client.submit(task("Fail please", 120));

        await().atMost(WAIT).until(() -> client.terminal(id));
        JsonNode task = client.task(id);
        assertThat(task.get("status").asString()).isEqualTo("failed");
        assertThat(task.get("error").asString()).contains("scripted refusal");
    }

    @Test
    void aHangingAgentIsStoppedAtItsTimeout() {
        model.hang();

        String id = client.submit(task("Hang", 3));

        await().atMost(WAIT).until(() -> client.terminal(id));
        JsonNode task = client.task(id);
        assertThat(task.get("status").asString()).isEqualTo("failed");
        assertThat(task.get("error").asString()).contains("timed out");
    }

    @Test
    void noSecretReachesKafkaTheLogsOrTheApi() {
        model.replyText("nothing to do");
        String id = client.submit(task("Say nothing", 120));
        await().atMost(WAIT).until(() -> client.terminal(id));

        for (String topic : List.of(Topics.TASK_COMMANDS, Topics.TASK_EVENTS, Topics.TASK_STREAM)) {
            for (String value : everything(topic)) {
                assertThat(value).doesNotContain(ACCESS_TOKEN).doesNotContain(AI_KEY);
            }
        }
        assertThat(client.task(id).toString()).doesNotContain(ACCESS_TOKEN).doesNotContain(AI_KEY);
        List<ILoggingEvent> logged;
        synchronized (logs) { // the appender appends under its own lock
            logged = List.copyOf(logs.list);
        }
        assertThat(logged).isNotEmpty();
        for (ILoggingEvent event : logged) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            assertThat(line).doesNotContain(ACCESS_TOKEN).doesNotContain(AI_KEY);
        }
    }

    private static ch.qos.logback.classic.Logger rootLogger() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private String task(String prompt, int timeoutSeconds) {
        return """
                {"repo_url":"%s","prompt":"%s","access_token":"%s",
                 "config":{"cli":"claude-code","timeout_seconds":%d,"max_turns":5,"ai_api_key":"%s"}}""".formatted(repository.url(), prompt, ACCESS_TOKEN, timeoutSeconds, AI_KEY);
    }

    private static List<String> everything(String topic) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestKafka.bootstrapServers(),
                        "group.id",
                        "secret-scan-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int empty = 0;
            while (empty < 5) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, byte[]> record : records) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                    record.headers().forEach(h -> values.add(new String(h.value(), StandardCharsets.UTF_8)));
                }
            }
        }
        assertThat(values).isNotEmpty();
        return values;
    }
}
