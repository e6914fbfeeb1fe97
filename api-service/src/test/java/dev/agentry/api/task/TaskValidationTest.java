package dev.agentry.api.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskValidationTest extends ApiIntegrationTest {

    static Stream<Arguments> badRequests() {
        String big = "x".repeat(102401);
        return Stream.of(
                Arguments.of("{\"prompt\":\"p\"}", "repo_url"),
                Arguments.of("{\"repo_url\":\"https://github.com/a/b.git\"}", "prompt"),
                Arguments.of("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"  \"}", "prompt"),
                Arguments.of("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"" + big + "\"}", "prompt"),
                Arguments.of("{\"repo_url\":\"ftp://x/y\",\"prompt\":\"p\"}", "repo_url"),
                Arguments.of("{\"repo_url\":\"not a url\",\"prompt\":\"p\"}", "repo_url"),
                Arguments.of("{\"repo_url\":\"file:///srv/repo.git\",\"prompt\":\"p\"}", "repo_url"),
                Arguments.of("{\"repo_url\":\"/srv/repo.git\",\"prompt\":\"p\"}", "repo_url"),
                Arguments.of("{\"repo_url\":\"https://u:pw@github.com/a/b.git\",\"prompt\":\"p\"}", "repo_url"),
                Arguments.of("{\"repo_url\":42,\"prompt\":\"p\"}", "repo_url"),
                Arguments.of(task("\"callback_url\":\"javascript:alert(1)\""), "callback_url"),
                Arguments.of(task("\"callback_url\":\"/relative\""), "callback_url"),
                Arguments.of(task("\"config\":{\"cli\":\"cursor\"}"), "config.cli"),
                Arguments.of(task("\"config\":{\"timeout_seconds\":0}"), "config.timeout_seconds"),
                Arguments.of(task("\"config\":{\"timeout_seconds\":\"ten\"}"), "config.timeout_seconds"),
                Arguments.of(task("\"config\":{\"timeout_seconds\":1.5e99}"), "config.timeout_seconds"),
                Arguments.of(task("\"config\":{\"max_turns\":-1}"), "config.max_turns"),
                Arguments.of(task("\"config\":{\"max_budget_usd\":0}"), "config.max_budget_usd"),
                Arguments.of(task("\"config\":{\"ai_model\":\"--dangerously-skip-permissions\"}"), "config.ai_model"),
                Arguments.of(task("\"config\":{\"target_branch\":\"--upload-pack=evil\"}"), "config.target_branch"),
                Arguments.of(task("\"config\":{\"target_branch\":\"a..b\"}"), "config.target_branch"),
                Arguments.of(task("\"config\":{\"mcp_servers\":[{\"name\":\"x\"}]}"), "config.mcp_servers[0].command"),
                Arguments.of(
                        task("\"config\":{\"mcp_servers\":[{\"name\":\"x\",\"command\":\"c\",\"env\":[\"novalue\"]}]}"),
                        "config.mcp_servers[0].env"),
                Arguments.of(task("\"config\":[]"), "config"),
                Arguments.of(task("\"provider_key\":\"my-key\""), "provider_key"),
                Arguments.of(withCallback("\"webhook_events\":[\"task.exploded\"]"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":[\"task.completed\",\"TASK.FAILED\"]"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":\"task.completed\""), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":\"\""), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":5"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":true"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":{\"task.completed\":true}"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":[1,2]"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":[true]"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":[null]"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":[\"task.completed\",null]"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":[[\"task.completed\"]]"), "webhook_events"),
                Arguments.of(withCallback("\"webhook_events\":[{\"type\":\"task.completed\"}]"), "webhook_events"),
                Arguments.of(task("\"webhook_events\":[\"task.completed\"]"), "webhook_events"),
                Arguments.of(task("\"webhook_events\":[]"), "webhook_events"));
    }

    private static String withCallback(String extra) {
        return task("\"callback_url\":\"https://example.com/hook\"," + extra);
    }

    private static String task(String extra) {
        return "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"," + extra + "}";
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void refusesBadInputNamingTheFieldAndWritesNothing(String body, String field) {
        int before = count("tasks");

        Response response = post("/api/v1/tasks", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.json().get("error").isString()).isTrue();
        assertThat(response.json().path("fields").has(field))
                .as("fields of %s", response.body())
                .isTrue();
        assertThat(count("tasks")).isEqualTo(before);
        assertThat(count("outbox")).isZero();
    }

    @Test
    void webhookEventsRefusalsSayWhatWouldBeAccepted() {
        Response unknown = post("/api/v1/tasks", withCallback("\"webhook_events\":[\"task.exploded\"]"));
        Response numbers = post("/api/v1/tasks", withCallback("\"webhook_events\":[1,2]"));
        Response noCallback = post("/api/v1/tasks", task("\"webhook_events\":[\"task.completed\"]"));

        assertThat(unknown.json().at("/fields/webhook_events").asString())
                .isEqualTo("may only contain task.started, task.completed, task.failed, task.pr_created,"
                        + " task.iteration.completed");
        assertThat(numbers.json().at("/fields/webhook_events").asString())
                .isEqualTo("must be an array of event type names (strings)");
        assertThat(noCallback.json().at("/fields/webhook_events").asString()).isEqualTo("requires callback_url");
    }

    @Test
    void refusesMalformedJson() {
        Response response = post("/api/v1/tasks", "{\"repo_url\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asString()).isEqualTo("malformed JSON");
    }

    @Test
    void refusesAMissingBodyAndTheWrongMediaType() {
        assertThat(post("/api/v1/tasks", "").status()).isEqualTo(400);
        Response plain = send(request("/api/v1/tasks")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("hello"))
                .header("Content-Type", "text/plain")
                .header("Authorization", "Bearer " + TOKEN));
        assertThat(plain.status()).isEqualTo(415);
    }

    @Test
    void refusesOversizeBodiesBeforeParsingThem() {
        String huge = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"" + "y".repeat(2_000_000) + "\"}";

        int before = count("tasks");

        Response response = post("/api/v1/tasks", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().get("error").asString()).isEqualTo("request body too large");
        assertThat(count("tasks")).isEqualTo(before);
    }

    @Test
    void answersBadPathsAndParametersWith4xx() {
        assertThat(get("/api/v1/tasks/not-a-uuid").status()).isEqualTo(400);
        assertThat(get("/api/v1/tasks/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(get("/api/v1/tasks?limit=0").status()).isEqualTo(400);
        assertThat(get("/api/v1/tasks?limit=abc").status()).isEqualTo(400);
        assertThat(get("/api/v1/tasks?status=exploded").status()).isEqualTo(400);
        assertThat(get("/api/v1/tasks?cursor=%25%25").status()).isEqualTo(400);
        assertThat(get("/api/v1/tasks?cursor=bm9wZQ").status()).isEqualTo(400);
        assertThat(get("/api/v1/nowhere").status()).isEqualTo(404);
        Response delete = send(request("/api/v1/tasks").DELETE().header("Authorization", "Bearer " + TOKEN));
        assertThat(delete.status()).isEqualTo(405);
    }
}
