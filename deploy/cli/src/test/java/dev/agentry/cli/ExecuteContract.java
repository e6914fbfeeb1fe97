package dev.agentry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What {@code agentry execute} does against seed 002's mission stream, whatever serves it. Today
 * {@link ExecuteAgainstStandInTest} runs it against a local stand-in that speaks the documented frames, and {@link
 * ExecuteAgainstThePlatformTest} against the real {@code /api/v1/execute/stream} of the local platform, the real
 * Claude Code CLI behind its {@code dev} profile scripted through a Messages API stand-in.
 */
abstract class ExecuteContract {

    private static final Pattern SESSION = Pattern.compile("--session (\\S+)");

    abstract String apiUrl();

    abstract String token();

    /** The next mission streams its work and completes with {@code answer} as the agent's output. */
    abstract void nextMissionAnswers(String answer);

    /** The next mission ends as failed with this error. */
    abstract void nextMissionFails(String error);

    /** The next mission pauses, asking the user this question. */
    abstract void nextMissionAsks(String question);

    CliRun cli() {
        return CliRun.against(apiUrl(), token());
    }

    @Test
    void aCompletedMissionStreamsTheAgentsOutputAndExitsZero() {
        String answer = "The answer is 42, " + UUID.randomUUID();
        nextMissionAnswers(answer);

        CliRun.Result result = cli().run("execute", "--profile", "dev", "What is the answer?");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
        assertThat(result.out()).contains(answer).containsPattern("» started session \\S+");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aFailedMissionSaysWhyAndExitsOne() {
        String error = "The model is unavailable " + UUID.randomUUID();
        nextMissionFails(error);

        CliRun.Result result = cli().run("execute", "Do something");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(result.out()).contains("Mission failed: ").contains(error);
    }

    @Test
    void aPausedMissionPrintsTheQuestionAndItsSessionExitsTwoAndTheAnswerContinuesIt() {
        String question = "Which environment, staging or production? " + UUID.randomUUID();
        nextMissionAsks(question);

        CliRun.Result paused = cli().run("execute", "Deploy the release");

        assertThat(paused.exitCode()).as(paused.toString()).isEqualTo(ExitCode.PAUSED);
        assertThat(paused.out()).contains("The agent asks: " + question);
        Matcher session = SESSION.matcher(paused.out());
        assertThat(session.find()).as(paused.out()).isTrue();

        String done = "Deployed to staging " + UUID.randomUUID();
        nextMissionAnswers(done);
        CliRun.Result answered = cli().run("execute", "--session", session.group(1), "staging");

        assertThat(answered.exitCode()).as(answered.toString()).isEqualTo(ExitCode.OK);
        assertThat(answered.out()).contains(done).contains("» started session " + session.group(1));
    }

    @Test
    void sessionsListAndGetShowTheSessionOfAMission() {
        nextMissionAnswers("Listed " + UUID.randomUUID());
        String mission = "A mission to list " + UUID.randomUUID();
        CliRun.Result executed = cli().run("--output", "json", "execute", mission);
        String session = ApiClient.JSON
                .readTree(executed.out().lines().findFirst().orElseThrow())
                .at("/details/session_id")
                .asString();

        CliRun.Result listed = cli().run("sessions", "list");
        CliRun.Result got = cli().run("sessions", "get", session);

        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).startsWith("SESSION").contains(session).contains(mission);
        assertThat(got.exitCode()).as(got.toString()).isZero();
        assertThat(got.out()).contains("session_id: " + session).contains("status: completed");
        CliRun.Result missing = cli().run("sessions", "get", UUID.randomUUID().toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.API_ERROR);
        assertThat(missing.err()).contains("HTTP 404").contains("Session not found");
    }

    @Test
    void anUnknownProfileIsTheApisErrorWithItsBody() {
        CliRun.Result result = cli().run("execute", "--profile", "nope-" + UUID.randomUUID(), "Anything");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.API_ERROR);
        assertThat(result.err()).contains("HTTP 404").contains("Profile not found: nope-");
    }

    @Test
    void jsonOutputIsOneFrameALineFromStartedToComplete() {
        String answer = "Forty-two " + UUID.randomUUID();
        nextMissionAnswers(answer);

        CliRun.Result result = cli().run("--output", "json", "execute", "What is the answer?");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
        List<JsonNode> frames =
                result.out().lines().map(line -> ApiClient.JSON.readTree(line)).toList();
        assertThat(frames.getFirst().get("event_type").asString()).isEqualTo("started");
        assertThat(frames.getLast().get("event_type").asString()).isEqualTo("complete");
        assertThat(frames.getLast().at("/details/status").asString()).isEqualTo("completed");
        assertThat(frames.getLast().at("/details/session_id").asString())
                .isEqualTo(frames.getFirst().at("/details/session_id").asString());
        assertThat(frames).allMatch(frame -> frame.has("timestamp") && frame.has("message") && frame.has("details"));
    }
}
