package dev.agentry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code agentry sessions …}: seed 002's mission sessions ({@code /api/v1/sessions}). */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Lists and shows mission sessions.")
final class SessionsCommand {

    private static final String SESSIONS = "/api/v1/sessions";

    @ParentCommand
    private @Nullable Agentry root;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists your sessions.")
    int list() {
        JsonNode answer = agentry().api().get(SESSIONS);
        // The seed shows a bare list; a page object {sessions, next_cursor} reads the same.
        JsonNode sessions = answer.isArray() ? answer : answer.path("sessions");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("SESSION", "STATUS", "CREATED", "MISSION"));
        for (JsonNode s : sessions) {
            rows.add(List.of(
                    Printer.text(s, "session_id"),
                    Printer.text(s, "status"),
                    Printer.text(s, "created_at"),
                    Printer.shorten(Printer.text(s, "mission"), 60)));
        }
        agentry().printer().print(answer, Printer.table(rows));
        return ExitCode.OK;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows a session.")
    int get(@Parameters(paramLabel = "SESSION_ID") String id) {
        JsonNode s = agentry().api().get(SESSIONS + "/" + TasksCommand.segment(id));
        List<String> lines = new ArrayList<>();
        s.properties()
                .forEach(field -> lines.add(field.getKey() + ": "
                        + (field.getValue().isValueNode()
                                ? field.getValue().asString()
                                : field.getValue().toString())));
        agentry().printer().print(s, String.join("\n", lines));
        return ExitCode.OK;
    }

    private Agentry agentry() {
        return Objects.requireNonNull(root);
    }
}
