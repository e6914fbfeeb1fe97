package dev.agentry.worker.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.conversation.ChatMessage;
import dev.agentry.events.conversation.ConversationState;
import dev.agentry.events.conversation.ModelSettings;
import dev.agentry.events.conversation.PendingQuestion;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.worker.llm.ModelMessage;
import dev.agentry.worker.llm.ModelMessage.AssistantText;
import dev.agentry.worker.llm.ModelMessage.UserText;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The prompt and transcript of a chat turn: what the model is told, and a history the APIs accept. */
class TurnPromptsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

    private final TurnPrompts prompts = new TurnPrompts(JSON);

    @Test
    void joinsOneSidesMessagesAndStartsAndEndsWithTheUser() {
        RunTurn turn = turn(List.of(
                new ChatMessage("assistant", "Welcome.", "chat"),
                new ChatMessage("system", "The run failed.", "worker"),
                new ChatMessage("assistant", "Checked prices.", "worker"),
                new ChatMessage("assistant", "", "chat"),
                new ChatMessage("user", "Thanks", "chat"),
                new ChatMessage("user", "Go on", "chat")));

        List<ModelMessage> transcript = prompts.transcript(turn);

        assertThat(transcript)
                .containsExactly(
                        new UserText("(Conversation start.)"),
                        new AssistantText("Welcome."),
                        new UserText("[system] The run failed."),
                        new AssistantText("[background] Checked prices."),
                        new UserText("Thanks\n\nGo on"));
    }

    @Test
    void tellsTheModelWhichQuestionTheUserAnswers() {
        RunTurn turn = turn(List.of(new ChatMessage("user", "B", "chat")));

        String system = prompts.system(turn, Instant.parse("2026-12-01T10:00:00Z"));

        assertThat(system)
                .contains("You are the assistant of a conversation")
                .contains("CURRENT TIME: 2026-12-01T10:00:00Z")
                .contains("CURRENT STATE DATA: {\"n\":1}")
                .contains("SCHEDULE: none")
                .contains(
                        "The user is responding to your question (choice): \"Which?\" with the options [\"A\",\"B\"]");
    }

    private static RunTurn turn(List<ChatMessage> history) {
        return new RunTurn(
                UUID.randomUUID(),
                "u",
                RunTurn.TRIGGER_CHAT,
                null,
                null,
                history,
                new ConversationState(
                        Map.of(), "", Map.of("n", 1), new PendingQuestion("choice", "Which?", List.of("A", "B"))),
                null,
                new ModelSettings("anthropic", "m", null, null));
    }
}
