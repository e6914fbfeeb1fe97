package dev.agentry.cli;

import static dev.agentry.cli.MissionStandIn.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ExecuteContract} against {@link MissionStandIn}, while the real {@code /api/v1/execute/stream} is built; plus
 * what only a stand-in can arrange: connections that drop mid-mission.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecuteAgainstStandInTest extends ExecuteContract {

    private MissionStandIn standIn;

    @BeforeAll
    void startStandIn() {
        standIn = MissionStandIn.start();
    }

    @AfterAll
    void stopStandIn() {
        standIn.close();
    }

    @BeforeEach
    void resetStandIn() {
        standIn.reset();
    }

    @Override
    String apiUrl() {
        return standIn.url();
    }

    @Override
    String token() {
        return MissionStandIn.TOKEN;
    }

    @Override
    void nextMissionAnswers(String answer) {
        standIn.nextMission("completed", answer, working(answer), 0);
    }

    @Override
    void nextMissionFails(String error) {
        standIn.nextMission(
                "failed",
                error,
                List.of(frame("step_start", "Thinking", Map.of("step", "1")), frame("error", error, Map.of())),
                0);
    }

    @Override
    void nextMissionAsks(String question) {
        standIn.nextMission(
                "paused",
                question,
                List.of(
                        frame("step_start", "Thinking", Map.of("step", "1")),
                        frame("tool_call", "Asking the user", Map.of("tool", "ask_user", "question", question))),
                0);
    }

    /**
     * A server that bounds its stream as {@code /execute} bounds its wait ends it with {@code complete {status:
     * in_progress}}; Agentry's stream follows the mission to its end instead, so only the stand-in can say this.
     */
    @Test
    void aStreamThatCompletesInProgressExitsThreeNamingItsSession() {
        standIn.nextMission("in_progress", "", List.of(frame("step_start", "Working", Map.of("step", "1"))), 0);

        CliRun.Result result = cli().run("execute", "A long mission");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.IN_PROGRESS);
        assertThat(result.out()).containsPattern("still in progress: agentry sessions get \\S+");
    }

    @Test
    void aDroppedConnectionResumesWithLastEventIdAndTheSessionAndShowsEveryFrameOnce() {
        String answer = "Resumed answer " + UUID.randomUUID();
        // started, step_start, tool_call: then the connection closes, before the tool's result and the tokens.
        standIn.nextMission("completed", answer, working(answer), 3);

        CliRun.Result result = cli().run("execute", "What is the answer?");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
        List<MissionStandIn.Request> requests = standIn.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).lastEventId()).isNull();
        assertThat(requests.get(0).body().has("session_id")).isFalse();
        assertThat(requests.get(1).lastEventId()).isEqualTo("3");
        String session = requests.get(1).body().path("session_id").asString();
        assertThat(result.out()).contains("» started session " + session);
        assertThat(requests.get(1).body().get("mission").asString()).isEqualTo("What is the answer?");
        assertThat(result.out()).containsOnlyOnce(answer).containsOnlyOnce("» tool ls");
        assertThat(result.out()).contains("resuming after event 3");
        assertThat(requests).allMatch(r -> ("Bearer " + MissionStandIn.TOKEN).equals(r.authorization()));
    }

    @Test
    void aStreamThatKeepsDroppingGivesUpWithThreeAndNamesTheSession() {
        standIn.nextMission("completed", "never seen", working("never seen"), 2);
        standIn.stallResumedConnections();

        CliRun.Result result = cli().run("execute", "--reconnects", "2", "What is the answer?");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.IN_PROGRESS);
        assertThat(standIn.requests()).hasSize(3);
        assertThat(result.err()).containsPattern("lost the stream; the mission goes on: agentry sessions get \\S+");
    }

    @Test
    void onATerminalTheStatusLineIsRedrawnInPlaceAndTheOutputStays() {
        String answer = "On a terminal " + UUID.randomUUID();
        nextMissionAnswers(answer);

        CliRun.Result result = cli().onATerminal().run("execute", "What is the answer?");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
        assertThat(result.out()).contains("\r\033[2K").contains(answer).doesNotContain("» tool ls\n");
        // The status line is cleared before the output, and nothing is left on it at the end.
        assertThat(result.out()).endsWith("\r\033[2K" + answer + "\n");
    }

    @Test
    void aMissingTokenIsTheApisFourOhOne() {
        CliRun.Result result = CliRun.against(standIn.url(), null).run("execute", "Anything");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.API_ERROR);
        assertThat(result.err())
                .contains("HTTP 401")
                .contains("Not authenticated")
                .contains("AGENTRY_TOKEN is not set");
    }

    @Test
    void aBlankMissionIsABadArgument() {
        CliRun.Result result = cli().run("execute", "  ");

        assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("The mission must not be blank.");
        assertThat(standIn.requests()).isEmpty();
    }

    @Test
    void noServerAtTheUrlExitsFiveSayingSo() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        CliRun.Result result = cli().run("--url", "http://127.0.0.1:" + port, "execute", "Anything");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(result.err()).contains("Cannot reach the Agentry API at http://127.0.0.1:" + port);
        assertThat(result.err()).doesNotContain(MissionStandIn.TOKEN);
    }

    private static List<ObjectNode> working(String answer) {
        int third = answer.length() / 3;
        return List.of(
                frame("step_start", "Thinking", Map.of("step", "1")),
                frame("tool_call", "Listing files", Map.of("tool", "ls")),
                frame("tool_result", "README.md", Map.of("tool", "ls")),
                frame("llm_token", answer.substring(0, third), Map.of()),
                frame("llm_token", answer.substring(third, 2 * third), Map.of()),
                frame("llm_token", answer.substring(2 * third), Map.of()),
                frame("final_answer", answer, Map.of()));
    }
}
