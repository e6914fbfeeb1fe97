package dev.agentry.api.mission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.task.LoggedEvent;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MissionOutcomeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anAskUserAnswerPausesWithItsQuestion() {
        MissionOutcome outcome = MissionOutcome.of(completed("{\"ask_user\": {\"question\": \"Which branch?\"}}"));

        assertThat(outcome).isEqualTo(new MissionOutcome(SessionStatus.PAUSED, "Which branch?"));
    }

    @Test
    void anAskUserObjectInsideProseOrAFenceStillPauses() {
        assertThat(MissionOutcome.question("I need to know.\n```json\n{\"ask_user\":{\"question\":\"Which?\"}}\n```"))
                .contains("Which?");
    }

    @Test
    void anyOtherAnswerCompletesWithTheAnswer() {
        assertThat(MissionOutcome.of(completed("Done: {\"files\": 2}")))
                .isEqualTo(new MissionOutcome(SessionStatus.COMPLETED, "Done: {\"files\": 2}"));
        assertThat(MissionOutcome.question("{\"ask_user\": {\"question\": \"  \"}}"))
                .isEmpty();
        assertThat(MissionOutcome.question("{\"ask_user\": broken")).isEmpty();
    }

    @Test
    void aFailedIterationFailsWithItsError() {
        LoggedEvent failed = new LoggedEvent(
                UUID.randomUUID(),
                "t",
                3,
                "result",
                "failed",
                JSON.createObjectNode()
                        .put("status", "failed")
                        .put("iteration", 1)
                        .put("error", "Cancelled by request.")
                        .put("reason", "cancelled"),
                "2026-01-01T00:00:00Z");

        assertThat(MissionOutcome.of(failed))
                .isEqualTo(new MissionOutcome(SessionStatus.FAILED, "Cancelled by request."));
    }

    private static LoggedEvent completed(String result) {
        return new LoggedEvent(
                UUID.randomUUID(),
                "t",
                3,
                "result",
                "completed",
                JSON.createObjectNode()
                        .put("status", "completed")
                        .put("iteration", 1)
                        .put("result", result),
                "2026-01-01T00:00:00Z");
    }
}
