package dev.agentry.cli;

import java.io.PrintStream;
import tools.jackson.databind.JsonNode;

/**
 * Shows a mission's progress frames. On a terminal the agent's output is written as it arrives and one live status
 * line below it says what the agent does now (step, tool), redrawn in place; elsewhere every frame that is not
 * output becomes a plain line of its own, so a log or a pipe reads well.
 */
final class MissionView {

    private static final String CLEAR_LINE = "\r\033[2K";

    private final PrintStream out;
    private final boolean live;
    private boolean statusShown;
    private boolean midLine;
    private boolean streamedThisStep;

    MissionView(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** One frame {@code {timestamp, event_type, message, details}}. */
    void show(JsonNode frame) {
        String type = frame.path("event_type").asString("");
        String message = frame.path("message").asString("");
        JsonNode details = frame.path("details");
        switch (type) {
            case "started" ->
                status("started session " + details.path("session_id").asString("?"));
            case "step_start" -> {
                streamedThisStep = false;
                status("step " + details.path("step").asString("") + (message.isEmpty() ? "" : ": " + message));
            }
            case "llm_token" -> {
                String token = message.isEmpty() ? details.path("content").asString("") : message;
                streamedThisStep = true;
                output(token);
            }
            case "tool_call" ->
                status("tool " + details.path("tool").asString(message) + (message.isEmpty() ? "" : ": " + message));
            case "tool_result" ->
                status("tool result" + (message.isEmpty() ? "" : ": " + Printer.shorten(message, 200)));
            case "final_answer" -> {
                if (!streamedThisStep && !message.isEmpty()) {
                    output(message);
                }
                endOutputLine();
            }
            case "error" -> note("error: " + message);
            case "complete" -> clearStatus();
            default -> status(type + (message.isEmpty() ? "" : ": " + message));
        }
    }

    /** A line that stays (a notice about the connection, an error): never overwritten by the status line. */
    void note(String text) {
        clearStatus();
        endOutputLine();
        out.println(text);
    }

    /** Leaves the terminal on a fresh line with no status line. */
    void finish() {
        clearStatus();
        endOutputLine();
    }

    private void output(String text) {
        if (text.isEmpty()) {
            return;
        }
        clearStatus();
        out.print(text);
        out.flush();
        midLine = !text.endsWith("\n");
    }

    private void status(String text) {
        if (!live) {
            endOutputLine();
            out.println("» " + text);
            return;
        }
        endOutputLine();
        out.print(CLEAR_LINE + "\033[2m» " + Printer.shorten(text, 100) + "\033[0m");
        out.flush();
        statusShown = true;
    }

    private void clearStatus() {
        if (statusShown) {
            out.print(CLEAR_LINE);
            out.flush();
            statusShown = false;
        }
    }

    private void endOutputLine() {
        if (midLine) {
            out.println();
            midLine = false;
        }
    }
}
