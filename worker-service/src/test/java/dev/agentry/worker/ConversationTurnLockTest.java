package dev.agentry.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.conversation.ChatMessage;
import dev.agentry.events.conversation.ConversationEvent;
import dev.agentry.events.conversation.ConversationState;
import dev.agentry.events.conversation.ModelSettings;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.conversation.TurnFailed;
import dev.agentry.events.conversation.TurnStarted;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A turn's hold on its command, on real workers and the embedded broker: the share group's acquisition lock is 2 s
 * here ({@link Workers#properties}), so a turn longer than that is only kept by renewing it, and a turn whose
 * worker dies comes back to another worker once the lock runs out.
 */
class ConversationTurnLockTest {

    private static final Duration TURN_LIMIT = Duration.ofSeconds(60);

    private static Map<String, String> properties(String workerId, ScriptedMessagesApi model) {
        Map<String, String> properties = Workers.properties(workerId);
        properties.put("agentry.worker.llm.anthropic.base-url", model.baseUrl());
        properties.put("agentry.worker.llm.anthropic.api-key", "sk-ant-lock-test");
        properties.put("agentry.worker.llm.retry-backoff", "100ms");
        return properties;
    }

    @Test
    void aTurnLongerThanTheLockKeepsItAndNoOtherWorkerStartsIt() throws Exception {
        try (ScriptedMessagesApi model = ScriptedMessagesApi.start();
                ConversationTopics topics = new ConversationTopics()) {
            // The first call gets no answer until its 5 s timeout (2.5 locks); the retry on the same worker answers.
            model.hang().replyText("Done, slowly.");
            Map<String, String> first = properties("worker-lock-a", model);
            first.put("agentry.worker.llm.request-timeout", "5s");
            Map<String, String> second = properties("worker-lock-b", model);
            second.put("agentry.worker.llm.request-timeout", "5s");
            try (ConfigurableApplicationContext a = Workers.start(first);
                    ConfigurableApplicationContext b = Workers.start(second)) {
                RunTurn turn = chat("Take your time.");
                topics.send(UUID.randomUUID(), turn);

                List<ConversationEvent> events = awaitTerminal(topics, turn.turnId());

                assertThat(events.getLast())
                        .isInstanceOfSatisfying(
                                TurnCompleted.class, c -> assertThat(c.reply()).isEqualTo("Done, slowly."));
                List<TurnStarted> starts = starts(events);
                assertThat(starts).as("one worker held the turn throughout").hasSize(1);
                assertThat(model.turns())
                        .as("the hung call and its retry, nothing more")
                        .hasSize(2);
                // Nothing comes after the terminal event: no second worker took the command meanwhile.
                await().during(Workers.LOCK_DURATION.multipliedBy(2))
                        .atMost(Workers.LOCK_DURATION.multipliedBy(4))
                        .until(() -> topics.events(turn.turnId()).size() == events.size());
            }
        }
    }

    @Test
    void aTurnWhoseWorkerDiesComesBackAndFailsWorkerLostPastTheAttemptLimit() throws Exception {
        Path log = Workers.tempDir("agentry-turn-crash-log").resolve("worker.log");
        try (ScriptedMessagesApi model = ScriptedMessagesApi.start();
                ConversationTopics topics = new ConversationTopics()) {
            model.hang();
            Process doomed = Workers.startJvm(properties("worker-turn-doomed", model), log);
            ConfigurableApplicationContext survivor = null;
            try {
                RunTurn turn = chat("Are you there?");
                topics.send(UUID.randomUUID(), turn);
                await().atMost(TURN_LIMIT)
                        .until(() -> starts(topics.events(turn.turnId())).stream()
                                .anyMatch(s -> s.workerId().equals("worker-turn-doomed")));
                await().atMost(Duration.ofSeconds(10)).until(() -> model.turns().size() == 1);

                doomed.destroyForcibly().waitFor();
                // Only one delivery allowed: the redelivery after the crash is failed, not run again.
                Map<String, String> strict = properties("worker-turn-survivor", model);
                strict.put("agentry.worker.max-attempts", "1");
                survivor = Workers.start(strict);

                List<ConversationEvent> events = awaitTerminal(topics, turn.turnId());

                assertThat(events.getLast()).isInstanceOfSatisfying(TurnFailed.class, failed -> {
                    assertThat(failed.reason()).isEqualTo(TurnFailed.WORKER_LOST);
                    assertThat(failed.error()).startsWith("The turn was delivered ");
                });
                assertThat(starts(events)).extracting(TurnStarted::workerId).containsExactly("worker-turn-doomed");
                assertThat(model.turns())
                        .as("the survivor did not call the model")
                        .hasSize(1);
            } finally {
                doomed.destroyForcibly();
                if (survivor != null) {
                    survivor.close();
                }
            }
        }
    }

    private static List<TurnStarted> starts(List<ConversationEvent> events) {
        return events.stream()
                .filter(TurnStarted.class::isInstance)
                .map(TurnStarted.class::cast)
                .toList();
    }

    private static List<ConversationEvent> awaitTerminal(ConversationTopics topics, UUID turnId) {
        return await().atMost(TURN_LIMIT)
                .until(() -> topics.events(turnId), events -> events.stream().anyMatch(ConversationEvent::terminal));
    }

    private static RunTurn chat(String content) {
        return new RunTurn(
                UUID.randomUUID(),
                "user-1",
                RunTurn.TRIGGER_CHAT,
                null,
                null,
                List.of(new ChatMessage("user", content, "chat")),
                ConversationState.empty(),
                null,
                new ModelSettings(ModelSettings.ANTHROPIC, "claude-test", null, null));
    }
}
