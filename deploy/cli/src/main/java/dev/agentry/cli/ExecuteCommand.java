package dev.agentry.cli;

import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code agentry execute "mission"}: seed 002's {@code POST /api/v1/execute/stream}, followed to its {@code complete}
 * frame. A dropped connection is resumed by posting the same mission again with the session id from {@code started}
 * and {@code Last-Event-ID}: the server is to take that as a reattachment to the session's running mission and
 * replay the frames after that id, not as a new mission (the seed 002 server side must honour this). Closing the
 * stream never cancels the mission.
 */
@Command(
        name = "execute",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a mission and streams its progress.",
            "Exits 0 completed, 1 failed, 2 paused (the agent asks a question: answer with --session),"
                    + " 3 still in progress."
        })
final class ExecuteCommand implements Callable<Integer> {

    static final String STREAM_PATH = "/api/v1/execute/stream";

    @ParentCommand
    private @Nullable Agentry root;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            defaultValue = "dev",
            description = "Profile (default: ${DEFAULT-VALUE}).")
    private String profile = "dev";

    @Option(names = "--session", paramLabel = "ID", description = "Continue this session (the answer to its question).")
    private @Nullable String sessionId;

    @Option(
            names = "--reconnects",
            paramLabel = "N",
            defaultValue = "5",
            description = "Reconnections in a row before giving up on a dropped stream (default: ${DEFAULT-VALUE}).")
    private int reconnects = 5;

    @Parameters(paramLabel = "MISSION", description = "What the agent should do.")
    private String mission = "";

    @Override
    public Integer call() {
        Agentry agentry = java.util.Objects.requireNonNull(root);
        if (mission.isBlank()) {
            throw new IllegalArgumentException("The mission must not be blank.");
        }
        Agentry.Terminal terminal = agentry.terminal();
        Printer printer = agentry.printer();
        MissionView view = new MissionView(terminal.out(), terminal.tty() && !printer.json());
        Run run = new Run();
        run.sessionId = sessionId;
        ResumableStream stream = new ResumableStream(reconnects, Duration.ofMillis(500), notice -> {
            if (printer.json()) {
                terminal.err().println("agentry: " + notice);
            } else {
                view.note("agentry: " + notice);
            }
        });
        ApiClient api = agentry.api();
        ResumableStream.Outcome outcome =
                stream.follow(lastEventId -> open(api, run, lastEventId), event -> run.see(event, view, printer));
        view.finish();
        if (!outcome.finished()) {
            terminal.err()
                    .println("agentry: lost the stream; the mission goes on"
                            + (run.sessionId == null ? "." : ": agentry sessions get " + run.sessionId));
            return ExitCode.IN_PROGRESS;
        }
        return run.exitCode(printer.json() ? terminal.err() : terminal.out());
    }

    private InputStream open(ApiClient api, Run run, @Nullable String lastEventId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mission", mission);
        body.put("profile", profile);
        if (run.sessionId != null) {
            body.put("session_id", run.sessionId);
        }
        // Once this mission has started, a reconnection must reattach to it, never start it again: the server
        // resumes only when it gets a Last-Event-ID, and the started frame carries none, so a drop before the first
        // numbered frame resumes from the beginning.
        String resumeFrom = lastEventId == null && run.started ? "0" : lastEventId;
        return api.openStream("POST", STREAM_PATH, body, resumeFrom);
    }

    /** What the frames have said so far. */
    private static final class Run {
        @Nullable
        String sessionId;

        /** Whether the server has sent this mission's {@code started} frame. */
        boolean started;

        String status = "in_progress";
        String message = "";

        @Nullable
        String question;

        boolean see(SseEvent event, MissionView view, Printer printer) {
            JsonNode frame;
            try {
                frame = ApiClient.JSON.readTree(event.data());
            } catch (JacksonException e) {
                view.note("agentry: skipped a frame that is not JSON: " + Printer.shorten(event.data(), 120));
                return false;
            }
            if (printer.json()) {
                printer.jsonLine(frame);
            } else {
                view.show(frame);
            }
            JsonNode details = frame.path("details");
            if (details.path("session_id").isString()) {
                sessionId = details.get("session_id").asString();
            }
            String type = frame.path("event_type").asString("");
            if (type.equals("started")) {
                started = true;
            }
            if (type.equals("ask_user") || details.path("question").isString()) {
                question =
                        details.path("question").asString(frame.path("message").asString(""));
            }
            if (type.equals("final_answer") || type.equals("error")) {
                message = frame.path("message").asString("");
            }
            if (!type.equals("complete")) {
                return false;
            }
            status = details.path("status").asString("in_progress");
            if (!frame.path("message").asString("").isEmpty()) {
                message = frame.path("message").asString();
            }
            return true;
        }

        int exitCode(java.io.PrintStream out) {
            return switch (status) {
                case "completed" -> ExitCode.OK;
                case "failed" -> {
                    out.println("Mission failed" + (message.isEmpty() ? "." : ": " + message));
                    yield ExitCode.FAILED;
                }
                case "paused" -> {
                    out.println("The agent asks: " + (question != null ? question : message));
                    out.println("Answer with: agentry execute --session " + sessionId + " \"<your answer>\"");
                    yield ExitCode.PAUSED;
                }
                default -> {
                    out.println("The mission is still in progress: agentry sessions get " + sessionId);
                    yield ExitCode.IN_PROGRESS;
                }
            };
        }
    }
}
