package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.testkit.TestDatabase;
import dev.agentry.testkit.TestKafka;
import dev.agentry.testkit.messages.ClaudeCodeCli;
import dev.agentry.testkit.messages.RecordedRequest;
import dev.agentry.testkit.messages.ScriptedMessagesApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Seed 002's missions through the whole pipeline, with the real Claude Code CLI against a scripted Messages API:
 * HTTP, outbox, Kafka, a worker running the CLI in the session's scratch workspace, events, projection, the
 * session read model and the SSE stream. One platform for the class; each test scripts the model's replies it
 * needs, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MissionEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dataDir;

    private ScriptedMessagesApi model;
    private LocalPlatform platform;
    private PlatformClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startPlatform() {
        String cli = ClaudeCodeCli.pathOrSkip();
        model = ScriptedMessagesApi.start();
        TestDatabase.Database database = TestDatabase.create();
        String run = UUID.randomUUID().toString();
        platform = LocalPlatform.start(LocalSettings.randomPorts(dataDir.resolve("platform"))
                .withKafka(TestKafka.bootstrapServers())
                .withDatabase(database.url(), database.username(), database.password())
                .withProperty("agentry.worker.share-group-id", "e2e-missions-" + run)
                .withProperty("agentry.worker.worker-id", "e2e-missions-worker-" + run)
                .withProperty("agentry.api.projector-group", "e2e-missions-projector-" + run)
                .withProperty("agentry.missions.execute-wait", "60s")
                .withProperty("agentry.worker.claude-code.cli-path", cli)
                .withProperty("agentry.worker.claude-code.base-url", model.baseUrl())
                .withProperty("agentry.worker.claude-code.api-key", "sk-ant-mission-e2e-key")
                .withProperty("agentry.worker.workspace-root", workspaces().toString()));
        client = new PlatformClient(platform.apiUrl(), platform.bootstrapToken());
    }

    @AfterAll
    void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
        if (model != null) {
            model.close();
        }
    }

    /** A reply one test scripted and did not use would answer the next test's mission: fail where it was left. */
    @AfterEach
    void everyScriptedReplyWasUsed() {
        assertThat(model.remainingReplies())
                .as("scripted replies this test left unused")
                .isZero();
    }

    @Test
    void aDevMissionWritesAFileInItsScratchWorkspaceAndCompletesWithTheAnswer() throws IOException {
        model.replyToolUse(
                "Bash", Map.of("command", "printf 'from the mission\\n' > mission-notes.txt", "description", "write"));
        model.replyText("I wrote mission-notes.txt.");

        JsonNode answer = execute("{\"mission\":\"Write mission-notes.txt\"}", null);

        assertThat(answer.get("status").asString()).as(answer.toString()).isEqualTo("completed");
        assertThat(answer.get("message").asString()).isEqualTo("I wrote mission-notes.txt.");
        String sessionId = answer.get("session_id").asString();
        try (Stream<Path> files = Files.walk(workspaces())) {
            List<Path> written = files.filter(p -> p.getFileName().toString().equals("mission-notes.txt"))
                    .toList();
            assertThat(written).hasSize(1);
            assertThat(Files.readString(written.getFirst())).isEqualTo("from the mission\n");
            // The workspace is a scratch one: nothing in it but the agent's file (and git's own directory).
            try (Stream<Path> entries = Files.list(written.getFirst().getParent())) {
                assertThat(entries.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder(".git", "mission-notes.txt");
            }
        }
        JsonNode session = json(client.send("GET", "/api/v1/sessions/" + sessionId, null), 200);
        assertThat(session.get("status").asString()).isEqualTo("completed");
        assertThat(session.get("mission").asString()).isEqualTo("Write mission-notes.txt");
        assertThat(session.get("profile").asString()).isEqualTo("dev");
        // The dev profile's instructions reach the agent, the pause protocol among them.
        assertThat(String.valueOf(model.turns().getLast().body())).contains("ask_user");
    }

    @Test
    void aSecondMissionOfTheSessionCarriesTheFirstOnesConversation() {
        model.replyText("Noted: walnut.");
        JsonNode first = execute("{\"mission\":\"Remember the word walnut\"}", null);
        assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("completed");
        String sessionId = first.get("session_id").asString();
        int turnsBefore = model.turns().size();

        model.replyText("The word was walnut.");
        JsonNode second = execute(
                "{\"mission\":\"Which word did I give you?\",\"session_id\":\"%s\"}".formatted(sessionId), null);

        assertThat(second.get("session_id").asString()).isEqualTo(sessionId);
        assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("completed");
        assertThat(second.get("message").asString()).isEqualTo("The word was walnut.");
        RecordedRequest resumed = model.turns().get(turnsBefore);
        assertThat(resumed.conversationText())
                .contains("Remember the word walnut")
                .contains("Noted: walnut.")
                .contains("Which word did I give you?");
    }

    @Test
    void aQuestionPausesTheSessionAndTheNextMissionAnswersIt() {
        model.replyText("{\"ask_user\": {\"question\": \"Which file should I write?\"}}");
        JsonNode paused = execute("{\"mission\":\"Write a file\"}", null);

        assertThat(paused.get("status").asString()).as(paused.toString()).isEqualTo("paused");
        assertThat(paused.get("message").asString()).isEqualTo("Which file should I write?");
        String sessionId = paused.get("session_id").asString();
        JsonNode session = json(client.send("GET", "/api/v1/sessions/" + sessionId, null), 200);
        assertThat(session.get("status").asString()).isEqualTo("paused");
        int turnsBefore = model.turns().size();

        model.replyText("I will write answer.txt.");
        JsonNode resumed = execute("{\"mission\":\"answer.txt\",\"session_id\":\"%s\"}".formatted(sessionId), null);

        assertThat(resumed.get("status").asString()).as(resumed.toString()).isEqualTo("completed");
        assertThat(resumed.get("message").asString()).isEqualTo("I will write answer.txt.");
        assertThat(model.turns().get(turnsBefore).conversationText())
                .contains("Which file should I write?")
                .contains("answer.txt");
    }

    @Test
    void theStreamSendsTheMissionsFramesInOrderAndResumesAfterLastEventId() {
        model.replyToolUse("Let me look.", "Bash", Map.of("command", "echo streamed", "description", "say"));
        model.replyText("All done.");

        List<Frame> frames = stream("{\"mission\":\"Stream me\"}", null);

        assertThat(frames)
                .extracting(Frame::type)
                .containsExactly(
                        "started",
                        "step_start",
                        "llm_token",
                        "tool_call",
                        "tool_result",
                        "step_start",
                        "llm_token",
                        "final_answer",
                        "complete");
        String sessionId = frames.getFirst().data().at("/details/session_id").asString();
        assertThat(sessionId).isNotBlank();
        for (Frame frame : frames) {
            assertThat(frame.data().has("timestamp")).isTrue();
            assertThat(frame.data().has("message")).isTrue();
            assertThat(frame.data().get("details").isObject()).isTrue();
        }
        assertThat(frames.get(3).data().at("/details/tool").asString()).isEqualTo("Bash");
        assertThat(frames.get(4).data().at("/details/success").asBoolean()).isTrue();
        assertThat(frames.get(4).data().at("/details/output").asString()).contains("streamed");
        assertThat(frames.get(7).data().at("/details/content").asString()).isEqualTo("All done.");
        Frame complete = frames.getLast();
        assertThat(complete.data().at("/details/status").asString()).isEqualTo("completed");
        assertThat(complete.data().at("/details/session_id").asString()).isEqualTo(sessionId);
        assertThat(frames.subList(1, frames.size())).allMatch(f -> f.id() != null);

        String toolCallId = frames.get(3).id();
        List<Frame> resumed =
                stream("{\"mission\":\"ignored on resume\",\"session_id\":\"%s\"}".formatted(sessionId), toolCallId);
        assertThat(resumed)
                .extracting(Frame::type)
                .containsExactly("tool_result", "step_start", "llm_token", "final_answer", "complete");
    }

    @Test
    void pastTheBoundTheAnswerIsInProgressAndTheSessionCompletesLater() {
        model.replyToolUse("Bash", Map.of("command", "sleep 4", "description", "take a while"));
        model.replyText("Slow but done.");

        JsonNode answer = execute("{\"mission\":\"Take your time\"}", "wait=1");

        assertThat(answer.get("status").asString()).as(answer.toString()).isEqualTo("in_progress");
        String sessionId = answer.get("session_id").asString();
        assertThat(json(client.send("GET", "/api/v1/sessions/" + sessionId, null), 200)
                        .get("status")
                        .asString())
                .isEqualTo("in_progress");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode session = json(client.send("GET", "/api/v1/sessions/" + sessionId, null), 200);
            assertThat(session.get("status").asString()).isEqualTo("completed");
            assertThat(session.get("message").asString()).isEqualTo("Slow but done.");
        });
    }

    @Test
    void aRunningMissionCanBeCancelled() {
        int turnsBefore = model.turns().size();
        model.hang();
        JsonNode answer = execute("{\"mission\":\"Never ends\"}", "wait=1");
        String sessionId = answer.get("session_id").asString();
        assertThat(answer.get("status").asString()).isEqualTo("in_progress");
        // Cancel only once the agent is inside the hanging turn: cancelled earlier, the CLI never asks, and the
        // scripted hang would be left for the next test's mission.
        model.awaitTurns(turnsBefore + 1, WAIT);

        HttpResponse<String> cancelled = client.send("POST", "/api/v1/execute/" + sessionId + "/cancel", null);

        assertThat(json(cancelled, 202).get("status").asString()).isEqualTo("interrupt_requested");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(json(client.send("GET", "/api/v1/sessions/" + sessionId, null), 200)
                                .get("status")
                                .asString())
                        .isEqualTo("failed"));
        assertThat(json(client.send("POST", "/api/v1/execute/" + sessionId + "/cancel", null), 404)
                        .get("detail")
                        .asString())
                .contains("No active execution");
    }

    @Test
    void aTenantProfileRunsItsMissionsWithItsRuntime() {
        HttpResponse<String> created = client.send(
                "POST", "/api/v1/profiles", "{\"name\":\"echoes\",\"runtime\":\"echo\",\"timeout_seconds\":30}");
        assertThat(json(created, 201).get("runtime").asString()).isEqualTo("echo");
        assertThat(values(json(client.send("GET", "/api/v1/profiles", null), 200), "name"))
                .contains("dev", "echoes");

        JsonNode answer = execute("{\"mission\":\"say this back\",\"profile\":\"echoes\"}", null);

        assertThat(answer.get("status").asString()).as(answer.toString()).isEqualTo("completed");
        assertThat(answer.get("message").asString()).isEqualTo("say this back");
        assertThat(json(client.send("GET", "/api/v1/sessions?profile=echoes", null), 200))
                .singleElement()
                .satisfies(s -> assertThat(s.get("session_id").asString())
                        .isEqualTo(answer.get("session_id").asString()));
    }

    @Test
    void badInputIsAFastApiStyleError() {
        JsonNode missing = json(client.send("POST", "/api/v1/execute", "{\"profile\":\"dev\"}"), 422);
        assertThat(missing.at("/detail/0/loc/1").asString()).isEqualTo("mission");
        assertThat(json(client.send("POST", "/api/v1/execute/stream", "{}"), 422)
                        .at("/detail/0/loc/1")
                        .asString())
                .isEqualTo("mission");
        assertThat(json(client.send("POST", "/api/v1/execute", "{\"mission\":\"x\",\"profile\":\"nope\"}"), 404)
                        .get("detail")
                        .asString())
                .isEqualTo("Profile not found: nope");
        assertThat(json(client.send("GET", "/api/v1/sessions/" + UUID.randomUUID(), null), 404)
                        .get("detail")
                        .asString())
                .isEqualTo("Session not found");
        assertThat(json(client.send("POST", "/api/v1/profiles", "{\"name\":\"Bad Name\"}"), 422)
                        .at("/detail/0/loc/1")
                        .asString())
                .isEqualTo("name");
        assertThat(json(client.send("DELETE", "/api/v1/profiles/dev", null), 409)
                        .get("detail")
                        .asString())
                .contains("built in");
    }

    @Test
    void aSessionCreatedByQueryParametersListsAsCreated() {
        JsonNode created = json(client.send("POST", "/api/v1/sessions?profile=dev&mission=Test%20Session", null), 200);
        assertThat(created.get("status").asString()).isEqualTo("created");
        assertThat(created.get("mission").asString()).isEqualTo("Test Session");
        assertThat(created.get("created_at").asString()).isNotBlank();
        String id = created.get("session_id").asString();

        JsonNode fetched = json(client.send("GET", "/api/v1/sessions/" + id, null), 200);
        assertThat(fetched.get("status").asString()).isEqualTo("created");
        assertThat(values(json(client.send("GET", "/api/v1/sessions?status=created", null), 200), "session_id"))
                .contains(id);
    }

    @Test
    void theGeneratedApiDocumentShowsEverySeed002Endpoint() {
        JsonNode paths =
                json(client.send("GET", "/api/docs/generated", null), 200).get("paths");

        assertThat(paths.propertyNames())
                .contains(
                        "/api/v1/execute",
                        "/api/v1/execute/stream",
                        "/api/v1/execute/{sessionId}/cancel",
                        "/api/v1/sessions",
                        "/api/v1/sessions/{id}",
                        "/api/v1/profiles",
                        "/api/v1/profiles/{name}");
    }

    private JsonNode execute(String body, @Nullable String prefer) {
        HttpRequest.Builder request = request("/api/v1/execute", body);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        try {
            return json(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Frame(@Nullable String id, String type, JsonNode data) {}

    /** The frames of one stream, up to its {@code complete}. */
    private List<Frame> stream(String body, @Nullable String lastEventId) {
        HttpRequest.Builder request = request("/api/v1/execute/stream", body).timeout(WAIT);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        List<Frame> frames = new ArrayList<>();
        try {
            HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            try (Stream<String> lines = response.body()) {
                String id = null;
                Iterator<String> it = lines.iterator();
                while (it.hasNext()) {
                    String line = it.next();
                    if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        JsonNode data =
                                PlatformClient.JSON.readTree(line.substring(5).strip());
                        frames.add(new Frame(id, data.get("event_type").asString(), data));
                        if (data.get("event_type").asString().equals("complete")) {
                            return frames;
                        }
                    } else if (line.isEmpty()) {
                        id = null;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new AssertionError("The stream ended without complete: " + frames);
    }

    private HttpRequest.Builder request(String path, String body) {
        return HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + platform.bootstrapToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return PlatformClient.JSON.readTree(response.body());
    }

    private static List<String> values(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.values().forEach(item -> values.add(item.path(field).asString()));
        return values;
    }

    private static Path workspaces() {
        return dataDir.resolve("workspaces");
    }
}
