package dev.agentry.api.mission;

import dev.agentry.api.task.LoggedEvent;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a mission ended, read from the entry that ended its iteration. A successful run whose final answer is the
 * pause protocol's {@code {"ask_user": {"question": ...}}} (see {@code Profile.ASK_USER_PROTOCOL}) is
 * {@code paused} with the question as its message; any other success is {@code completed} with the answer; a
 * failure is {@code failed} with the error.
 */
record MissionOutcome(SessionStatus status, String message) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static MissionOutcome of(LoggedEvent end) {
        JsonNode data = end.data();
        if (!data.path("status").asString("").equals("completed")) {
            return new MissionOutcome(SessionStatus.FAILED, data.path("error").asString("The mission failed."));
        }
        String result = data.path("result").asString("");
        return question(result)
                .map(q -> new MissionOutcome(SessionStatus.PAUSED, q))
                .orElseGet(() -> new MissionOutcome(SessionStatus.COMPLETED, result));
    }

    /** The question of an answer that is (or, fenced or prefaced, contains) the {@code ask_user} object. */
    static Optional<String> question(String answer) {
        int start = answer.indexOf('{');
        int end = answer.lastIndexOf('}');
        if (start < 0 || end <= start || !answer.contains("\"ask_user\"")) {
            return Optional.empty();
        }
        try {
            JsonNode question = JSON.readTree(answer.substring(start, end + 1))
                    .path("ask_user")
                    .path("question");
            return question.isString() && !question.asString().isBlank()
                    ? Optional.of(question.asString().strip())
                    : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
