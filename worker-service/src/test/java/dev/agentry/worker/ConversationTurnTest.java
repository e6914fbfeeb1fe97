package dev.agentry.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.ChatMessage;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.ConversationState;
import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.ModelSettings;
import dev.agentry.events.conversation.Notify;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.StateUpdate;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.conversation.TurnDelta;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.events.conversation.TurnToolCalled;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.testkit.messages.RecordedRequest;
import dev.agentry.testkit.messages.RecordedRequest.ToolResultSeen;
import dev.agentry.testkit.messages.ScriptedChatCompletionsApi;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import dev.agentry.testkit.messages.ScriptedReply.Message;
import dev.agentry.testkit.messages.ScriptedReply.Text;
import dev.agentry.testkit.messages.ScriptedReply.ToolUse;
import dev.agentry.testkit.messages.ScriptedReply.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Conversation turns end to end on a real worker: commands and events through the embedded broker, the official
 * Anthropic and OpenAI SDKs against the scripted model servers of the test kit.
 */
class ConversationTurnTest {

    private static final String DEFAULT_KEY = "sk-ant-platform-" + UUID.randomUUID();
    private static final String OPENAI_KEY = "sk-openai-platform-" + UUID.randomUUID();
    private static final String TURN_KEY = "sk-ant-turn-" + UUID.randomUUID();
    private static final Duration TURN_LIMIT = Duration.ofSeconds(30);

    private static ScriptedMessagesApi anthropic;
    private static ScriptedChatCompletionsApi openai;
    private static ConversationTopics topics;
    private static ConfigurableApplicationContext worker;
    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void startWorker() {
        anthropic = ScriptedMessagesApi.start();
        openai = ScriptedChatCompletionsApi.start();
        Map<String, String> properties = Workers.properties("worker-conversation");
        properties.put("agentry.worker.llm.anthropic.base-url", anthropic.baseUrl());
        properties.put("agentry.worker.llm.anthropic.api-key", DEFAULT_KEY);
        properties.put("agentry.worker.llm.openai.base-url", openai.baseUrl());
        properties.put("agentry.worker.llm.openai.api-key", OPENAI_KEY);
        properties.put("agentry.worker.llm.retry-backoff", "100ms");
        worker = Workers.start(properties);
        // After the start: Spring Boot resets the logging configuration while it starts.
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        topics = new ConversationTopics();
    }

    @AfterAll
    static void stopWorker() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        if (topics != null) {
            topics.close();
        }
        anthropic.close();
        openai.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void streamsAPlainReplyAsDeltasAndCompletes() {
        String reply = "Hello! ".repeat(80).strip();
        anthropic.replyText(reply);

        RunTurn turn = chat("Say hello at length.", null);
        List<ConversationEvent> events = run(turn);

        assertThat(events.getFirst()).isInstanceOf(TurnStarted.class);
        assertThat(deltas(events)).isEqualTo(reply);
        assertThat(events.stream().filter(TurnDelta.class::isInstance).count())
                .as("coalesced, neither one delta per SSE event nor one for all")
                .isBetween(2L, 24L);
        TurnCompleted completed = (TurnCompleted) events.getLast();
        assertThat(completed.reply()).isEqualTo(reply);
        assertThat(completed.actions()).isEmpty();
        assertThat(completed.usage().inputTokens()).isEqualTo(25);
        assertThat(completed.usage().outputTokens()).isEqualTo(10);
        RecordedRequest request = anthropic.turns().getLast();
        assertThat(request.isStreaming()).isTrue();
        assertThat(request.carriesApiKey(DEFAULT_KEY)).isTrue();
        assertThat(request.toolNames())
                .containsExactly("create_schedule", "needs_input", "state_update", "notify", "stop_schedule");
        assertThat(request.conversationText()).contains("user: Say hello at length.");
        assertThat(worker.getBean(MeterRegistry.class)
                        .counter("agentry.worker.turns", "outcome", "completed")
                        .count())
                .isPositive();
    }

    @Test
    void acceptsCreateScheduleThenNotifyInCallOrder() {
        anthropic
                .reply(new Message(
                        List.of(
                                new Text("Setting it up."),
                                new ToolUse(
                                        "create_schedule",
                                        Map.of(
                                                "type", "cron",
                                                "cron_expression", "0 9 * * *",
                                                "timezone", "Europe/Berlin",
                                                "task", "Check flight prices to Lisbon",
                                                "initial_state", Map.of("step", "watching"))),
                                new ToolUse("notify", Map.of("title", "Watching", "body", "Flights to Lisbon"))),
                        Usage.DEFAULT))
                .replyText("Done: every morning at nine.");

        List<ConversationEvent> events = run(chat("Watch flights to Lisbon every morning.", null));

        TurnCompleted completed = (TurnCompleted) events.getLast();
        assertThat(completed.reply()).isEqualTo("Setting it up.\n\nDone: every morning at nine.");
        assertThat(deltas(events)).isEqualTo(completed.reply());
        assertThat(completed.actions()).hasSize(2);
        assertThat(completed.actions().get(0)).isInstanceOfSatisfying(CreateSchedule.class, create -> {
            assertThat(create.schedule())
                    .isEqualTo(new ScheduleSpec(
                            "cron", "0 9 * * *", "Europe/Berlin", null, "Check flight prices to Lisbon"));
            assertThat(create.initialState().step()).isEqualTo("watching");
        });
        assertThat(completed.actions().get(1)).isEqualTo(new Notify("Watching", "Flights to Lisbon"));
        assertThat(completed.usage().inputTokens()).isEqualTo(50);
        assertThat(events)
                .filteredOn(TurnToolCalled.class::isInstance)
                .extracting(e -> ((TurnToolCalled) e).tool(), e -> ((TurnToolCalled) e).error())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("create_schedule", null),
                        org.assertj.core.groups.Tuple.tuple("notify", null));
        List<ToolResultSeen> results = anthropic.turns().getLast().toolResults();
        assertThat(results).hasSize(2).noneMatch(ToolResultSeen::error);
        assertThat(results.getFirst().content()).startsWith("Scheduled; the first run is at ");
    }

    @Test
    void answersInvalidToolCallsWithErrorResultsAndStillCompletes() {
        anthropic
                .reply(new Message(
                        List.of(
                                new ToolUse(
                                        "create_schedule",
                                        Map.of("type", "cron", "cron_expression", "61 * * * *", "task", "t")),
                                new ToolUse(
                                        "create_schedule",
                                        Map.of(
                                                "type", "cron",
                                                "cron_expression", "0 9 * * *",
                                                "timezone", "Mars/Olympus_Mons",
                                                "task", "t")),
                                new ToolUse(
                                        "create_schedule",
                                        Map.of("type", "scheduled", "run_at", "2020-01-01T00:00:00Z", "task", "t")),
                                new ToolUse("launch_rocket", Map.of("target", "moon")),
                                new ToolUse("needs_input", Map.of("type", "choice", "prompt", 42))),
                        Usage.DEFAULT))
                .replyText("Sorry, I could not do that.");

        List<ConversationEvent> events = run(chat("Do impossible things.", null));

        TurnCompleted completed = (TurnCompleted) events.getLast();
        assertThat(completed.reply()).isEqualTo("Sorry, I could not do that.");
        assertThat(completed.actions()).isEmpty();
        List<ToolResultSeen> results = anthropic.turns().getLast().toolResults();
        assertThat(results).hasSize(5).allMatch(ToolResultSeen::error);
        assertThat(results)
                .extracting(ToolResultSeen::content)
                .satisfiesExactly(
                        bad -> assertThat(bad).contains("Invalid cron expression"),
                        zone -> assertThat(zone).contains("Unknown time zone: Mars/Olympus_Mons"),
                        past -> assertThat(past).contains("is in the past"),
                        unknown -> assertThat(unknown).contains("Unknown tool: launch_rocket"),
                        malformed -> assertThat(malformed).contains("needs_input.prompt"));
        assertThat(events)
                .filteredOn(TurnToolCalled.class::isInstance)
                .hasSize(5)
                .allMatch(e -> ((TurnToolCalled) e).error() != null);
    }

    @Test
    void retriesAnOverloadedModelThenCompletes() {
        int before = anthropic.turns().size();
        anthropic.replyError(529, "overloaded_error", "Overloaded").replyText("Back again.");

        List<ConversationEvent> events = run(chat("Are you there?", null));

        assertThat(events.getLast())
                .isInstanceOfSatisfying(
                        TurnCompleted.class,
                        completed -> assertThat(completed.reply()).isEqualTo("Back again."));
        assertThat(anthropic.turns().size() - before).isEqualTo(2);
    }

    @Test
    void failsTheTurnWhenTheModelKeepsFailing() {
        anthropic
                .replyError(500, "api_error", "Internal server error")
                .replyError(500, "api_error", "Internal server error")
                .replyError(500, "api_error", "Internal server error");

        List<ConversationEvent> events = run(chat("Hello?", null));

        assertThat(events.getLast()).isInstanceOfSatisfying(TurnFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(TurnFailed.MODEL_UNAVAILABLE);
            assertThat(failed.error()).contains("500").contains("Internal server error");
        });
        assertThat(anthropic.remainingReplies()).isZero();
    }

    @Test
    void failsARequestTheModelRefusesWithoutRetrying() {
        anthropic
                .replyError(400, "invalid_request_error", "max_tokens: too large")
                .replyText("never sent");

        List<ConversationEvent> events = run(chat("Hello?", null));

        assertThat(events.getLast())
                .isInstanceOfSatisfying(
                        TurnFailed.class, failed -> assertThat(failed.reason()).isEqualTo(TurnFailed.MODEL_ERROR));
        assertThat(anthropic.remainingReplies()).isEqualTo(1);
        anthropic.replyText("drained");
        run(chat("drain", null));
        run(chat("drain", null));
    }

    @Test
    void usesTheTurnsSealedKeyAndNeverShowsIt() {
        anthropic.replyText("Keyed.");

        RunTurn turn = chat("Use my key.", Workers.SEALER.seal(TURN_KEY));
        String command = topics.send(UUID.randomUUID(), turn);
        List<ConversationEvent> events = awaitTerminal(turn.turnId());

        assertThat(events.getLast()).isInstanceOf(TurnCompleted.class);
        assertThat(anthropic.turns().getLast().carriesApiKey(TURN_KEY)).isTrue();
        assertThat(command).doesNotContain(TURN_KEY);
        assertThat(topics.allBytes()).doesNotContain(TURN_KEY).doesNotContain(DEFAULT_KEY);
        String logged = logs.list.stream()
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .collect(Collectors.joining("\n"));
        assertThat(logged)
                .contains("Turn " + turn.turnId() + " of conversation")
                .doesNotContain(TURN_KEY)
                .doesNotContain(DEFAULT_KEY)
                .doesNotContain(OPENAI_KEY);
    }

    @Test
    void runsAScheduledTurnWithTheWorkerPromptOnAnOpenAiCompatibleApi() {
        openai.replyToolCall("Checking.", "state_update", Map.of("data", Map.of("best_price", 99), "step", "compare"))
                .replyText("Best price so far: 99 EUR.");
        RunTurn turn = new RunTurn(
                UUID.randomUUID(),
                "user-1",
                RunTurn.TRIGGER_SCHEDULE,
                Instant.parse("2026-12-01T09:00:00Z"),
                "Check flight prices to Lisbon",
                List.of(new ChatMessage("user", "Watch flights to Lisbon.", "chat")),
                new ConversationState(Map.of("city", "LIS"), "watching", Map.of(), null),
                new ScheduleSpec("cron", "0 9 * * *", "UTC", null, "Check flight prices to Lisbon"),
                new ModelSettings(ModelSettings.OPENAI, "gpt-test", null, null));

        List<ConversationEvent> events = run(turn);

        TurnCompleted completed = (TurnCompleted) events.getLast();
        assertThat(completed.reply()).isEqualTo("Checking.\n\nBest price so far: 99 EUR.");
        assertThat(deltas(events)).isEqualTo(completed.reply());
        assertThat(completed.actions()).containsExactly(new StateUpdate(Map.of("best_price", 99), "compare"));
        assertThat(completed.usage().outputTokens()).isEqualTo(20);
        List<RecordedRequest> calls = openai.requests();
        RecordedRequest first = calls.get(calls.size() - 2);
        assertThat(first.isStreaming()).isTrue();
        assertThat(first.carriesApiKey(OPENAI_KEY)).isTrue();
        assertThat(first.model()).isEqualTo("gpt-test");
        assertThat(first.tools())
                .extracting(tool -> tool.path("function").path("name").asString())
                .containsExactly("create_schedule", "needs_input", "state_update", "notify", "stop_schedule");
        String system = first.messages().get(0).path("content").asString();
        assertThat(system)
                .contains("You are executing background work for a conversation.")
                .contains("TASK: Check flight prices to Lisbon")
                .contains("CURRENT STEP: watching");
        assertThat(first.messages()
                        .get(first.messages().size() - 1)
                        .path("content")
                        .asString())
                .isEqualTo("Watch flights to Lisbon.\n\nContinue the background task: Check flight prices to Lisbon");
        assertThat(calls.getLast().toolResults())
                .singleElement()
                .satisfies(result -> assertThat(result.content()).isEqualTo("State updated."));
    }

    @Test
    void retriesARateLimitedChatCompletionsCall() {
        int before = openai.requests().size();
        openai.replyError(429, "rate_limit_exceeded", "Rate limit reached").replyText("After the limit.");
        RunTurn chat = chat("Hello?", null);
        RunTurn turn = new RunTurn(
                chat.turnId(),
                chat.userId(),
                chat.trigger(),
                null,
                null,
                chat.history(),
                chat.state(),
                null,
                new ModelSettings(ModelSettings.OPENAI, "gpt-test", null, null));

        List<ConversationEvent> events = run(turn);

        assertThat(events.getLast())
                .isInstanceOfSatisfying(
                        TurnCompleted.class,
                        completed -> assertThat(completed.reply()).isEqualTo("After the limit."));
        assertThat(openai.requests().size() - before).isEqualTo(2);
    }

    @Test
    void sendsAnUndecodableCommandToItsDeadLetterTopicAndGoesOn() {
        double before = TaskExecutionTest.deadLetters(worker, Topics.CONVERSATION_COMMANDS);
        String key = "garbage-" + UUID.randomUUID();
        topics.sendRaw(new ProducerRecord<>(
                Topics.CONVERSATION_COMMANDS, key, "not a command".getBytes(StandardCharsets.UTF_8)));
        anthropic.replyText("Still here.");

        List<ConversationEvent> events = run(chat("Ping.", null));

        assertThat(events.getLast()).isInstanceOf(TurnCompleted.class);
        ConsumerRecord<String, byte[]> dead = TaskTopics.awaitDeadLetter(Topics.CONVERSATION_COMMANDS, key);
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not a command");
        assertThat(dead.headers().lastHeader("kafka_dlt-original-topic").value())
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(Topics.CONVERSATION_COMMANDS);
        await().atMost(TURN_LIMIT).untilAsserted(() -> {
            assertThat(TaskExecutionTest.deadLetters(worker, Topics.CONVERSATION_COMMANDS))
                    .isEqualTo(before + 1);
            assertThat(logs.list)
                    .anyMatch(e -> e.getFormattedMessage()
                            .contains("cannot be decoded and went to " + Topics.deadLetter(Topics.CONVERSATION_COMMANDS)
                                    + ": Unrecognized token 'not'"));
        });
    }

    private static RunTurn chat(String content, @Nullable SealedSecret key) {
        return new RunTurn(
                UUID.randomUUID(),
                "user-1",
                RunTurn.TRIGGER_CHAT,
                null,
                null,
                List.of(new ChatMessage("user", content, "chat")),
                ConversationState.empty(),
                null,
                new ModelSettings(ModelSettings.ANTHROPIC, "claude-test", null, key));
    }

    private static List<ConversationEvent> run(RunTurn turn) {
        topics.send(UUID.randomUUID(), turn);
        return awaitTerminal(turn.turnId());
    }

    private static List<ConversationEvent> awaitTerminal(UUID turnId) {
        return await().atMost(TURN_LIMIT)
                .until(() -> topics.events(turnId), events -> events.stream().anyMatch(ConversationEvent::terminal));
    }

    private static String deltas(List<ConversationEvent> events) {
        return events.stream()
                .filter(TurnDelta.class::isInstance)
                .map(e -> ((TurnDelta) e).text())
                .collect(Collectors.joining());
    }
}
