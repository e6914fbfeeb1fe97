package dev.agentry.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Which family a path belongs to, and the error body each family's seed documents. */
class ApiFamilyTest {

    @Test
    void resolvesEachSeedsPathsToItsFamily() {
        assertThat(ApiFamily.of("/api/v1/tasks")).isEqualTo(ApiFamily.PROBLEM_JSON);
        assertThat(ApiFamily.of("/api/v1/tasks/42/create-pr")).isEqualTo(ApiFamily.PROBLEM_JSON);
        assertThat(ApiFamily.of("/api/v1/projects/7/tickets")).isEqualTo(ApiFamily.PROBLEM_JSON);
        assertThat(ApiFamily.of("/api/v1/workspaces")).isEqualTo(ApiFamily.PROBLEM_JSON);
        assertThat(ApiFamily.of("/api/conversations")).isEqualTo(ApiFamily.ERROR_OBJECT);
        assertThat(ApiFamily.of("/api/conversations/c1/messages")).isEqualTo(ApiFamily.ERROR_OBJECT);
        assertThat(ApiFamily.of("/api/notifications/unread")).isEqualTo(ApiFamily.ERROR_OBJECT);
        assertThat(ApiFamily.of("/api/health")).isEqualTo(ApiFamily.ERROR_OBJECT);
        assertThat(ApiFamily.of("/api/v1/execute")).isEqualTo(ApiFamily.FASTAPI);
        assertThat(ApiFamily.of("/api/v1/sessions/s1")).isEqualTo(ApiFamily.FASTAPI);
        assertThat(ApiFamily.of("/api/v1/profiles/dev")).isEqualTo(ApiFamily.FASTAPI);
        assertThat(ApiFamily.of("/api/v1/conversation/turn")).isEqualTo(ApiFamily.FASTAPI);
        assertThat(ApiFamily.of("/api/v1/builder/agents")).isEqualTo(ApiFamily.FASTAPI);
        assertThat(ApiFamily.of("/oauth/callback")).isEqualTo(ApiFamily.FASTAPI);
    }

    @Test
    void matchesWholePathSegmentsOnly() {
        assertThat(ApiFamily.of("/api/conversationsx")).isEqualTo(ApiFamily.PROBLEM_JSON);
        assertThat(ApiFamily.of("/api/v1/executed")).isEqualTo(ApiFamily.PROBLEM_JSON);
        assertThat(ApiFamily.of("/oauthy")).isEqualTo(ApiFamily.PROBLEM_JSON);
        assertThat(ApiFamily.of("/health")).isEqualTo(ApiFamily.PROBLEM_JSON);
    }

    @Test
    void seed004AnswersProblemJsonCarryingErrorMessageAndFields() {
        ApiFamily.Answer answer = ApiFamily.PROBLEM_JSON.answer(
                HttpStatus.BAD_REQUEST, "invalid request", "Invalid request: prompt is required.", fields());

        assertThat(answer.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.contentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        ProblemDetail problem = (ProblemDetail) answer.body();
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getDetail()).isEqualTo("Invalid request: prompt is required.");
        assertThat(problem.getProperties())
                .containsEntry("error", "invalid request")
                .containsEntry("message", "Invalid request: prompt is required.")
                .containsEntry("fields", fields());
    }

    @Test
    void seed004LeavesFieldsOutWhenNoFieldIsAtFault() {
        ProblemDetail problem = (ProblemDetail) ApiFamily.PROBLEM_JSON
                .answer(HttpStatus.NOT_FOUND, "task not found", "Task 42 was not found.", Map.of())
                .body();

        assertThat(problem.getProperties()).containsOnlyKeys("error", "message");
    }

    @Test
    void seed003AnswersABareErrorObject() {
        ApiFamily.Answer answer = ApiFamily.ERROR_OBJECT.answer(
                HttpStatus.NOT_FOUND, "not found", "Conversation c1 was not found.", Map.of());

        assertThat(answer.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(answer.contentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(answer.body()).isEqualTo(Map.of("error", "Conversation c1 was not found."));
    }

    @Test
    void fastApiAnswersValidationAs422WithOneDetailItemPerField() {
        ApiFamily.Answer answer =
                ApiFamily.FASTAPI.answer(HttpStatus.BAD_REQUEST, "invalid request", "Invalid request.", fields());

        assertThat(answer.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(answer.contentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(answer.body())
                .isEqualTo(Map.of(
                        "detail",
                        List.of(
                                Map.of(
                                        "loc",
                                        List.of("body", "prompt"),
                                        "msg",
                                        "prompt is required",
                                        "type",
                                        "value_error"),
                                Map.of(
                                        "loc",
                                        List.of("body", "limit"),
                                        "msg",
                                        "limit must be between 1 and 100",
                                        "type",
                                        "value_error"))));
    }

    @Test
    void fastApiAnswersABodyThatIsNotJsonAs422Too() {
        ApiFamily.Answer answer = ApiFamily.FASTAPI.answer(
                HttpStatus.BAD_REQUEST, "malformed JSON", "The request body is not valid JSON.", Map.of());

        assertThat(answer.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(answer.body())
                .isEqualTo(Map.of(
                        "detail",
                        List.of(Map.of(
                                "loc",
                                List.of("body"),
                                "msg",
                                "The request body is not valid JSON.",
                                "type",
                                "value_error"))));
    }

    @Test
    void fastApiAnswersEveryOtherErrorWithAStringDetail() {
        ApiFamily.Answer answer =
                ApiFamily.FASTAPI.answer(HttpStatus.NOT_FOUND, "not found", "Session s1 was not found.", Map.of());

        assertThat(answer.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(answer.body()).isEqualTo(Map.of("detail", "Session s1 was not found."));
    }

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("prompt", "is required");
        fields.put("limit", "must be between 1 and 100");
        return fields;
    }
}
