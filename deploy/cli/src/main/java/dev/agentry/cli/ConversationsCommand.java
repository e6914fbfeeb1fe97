package dev.agentry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code agentry conversations …}: seed 003's chat API ({@code /api/conversations}, camelCase, wrapped). */
@Command(
        name = "conversations",
        mixinStandardHelpOptions = true,
        description = "Chats with the assistant: conversations and their messages.")
final class ConversationsCommand {

    private static final String CONVERSATIONS = "/api/conversations";

    @ParentCommand
    private @Nullable Agentry root;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists your conversations.")
    int list() {
        JsonNode answer = agentry().api().get(CONVERSATIONS);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ID", "STATUS", "UPDATED", "TITLE"));
        for (JsonNode c : answer.path("conversations")) {
            rows.add(List.of(
                    Printer.text(c, "id"),
                    Printer.text(c, "status"),
                    Printer.text(c, "updatedAt"),
                    Printer.shorten(Printer.text(c, "title"), 60)));
        }
        agentry().printer().print(answer, Printer.table(rows));
        return ExitCode.OK;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Starts a conversation.")
    int create(@Option(names = "--title", paramLabel = "TITLE") @Nullable String title) {
        JsonNode answer = agentry().api().post(CONVERSATIONS, title == null ? Map.of() : Map.of("title", title));
        JsonNode c = answer.path("conversation");
        agentry().printer().print(answer, Printer.text(c, "id") + "  " + Printer.text(c, "title"));
        return ExitCode.OK;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows a conversation and its messages.")
    int get(@Parameters(paramLabel = "CONVERSATION_ID") String id) {
        JsonNode answer = agentry().api().get(CONVERSATIONS + "/" + TasksCommand.segment(id));
        JsonNode c = answer.path("conversation");
        StringBuilder text = new StringBuilder()
                .append(Printer.text(c, "title"))
                .append("  (")
                .append(Printer.text(c, "status"))
                .append(")");
        JsonNode question = c.path("state").path("pendingQuestion");
        if (question.isObject()) {
            text.append("\nwaiting for your answer: ")
                    .append(question.path("prompt").asString(""));
        }
        for (JsonNode m : answer.path("messages")) {
            text.append("\n\n").append(Printer.text(m, "role")).append(":\n").append(Printer.text(m, "content"));
        }
        agentry().printer().print(answer, text.toString());
        return ExitCode.OK;
    }

    @Command(
            name = "send",
            mixinStandardHelpOptions = true,
            description = "Sends a message and prints the reply; exits 3 if the reply is not there yet.")
    int send(
            @Parameters(index = "0", paramLabel = "CONVERSATION_ID") String id,
            @Parameters(index = "1", paramLabel = "MESSAGE") String content) {
        ApiClient.Answer answer = agentry()
                .api()
                .send(
                        "POST",
                        CONVERSATIONS + "/" + TasksCommand.segment(id) + "/messages",
                        Map.of("content", content),
                        Map.of());
        JsonNode reply = answer.body().path("assistantMessage");
        if (answer.status() == 202 || !reply.isObject()) {
            agentry()
                    .printer()
                    .print(
                            answer.body(),
                            "The assistant is still answering (turn " + Printer.text(answer.body(), "turnId")
                                    + "); see: agentry conversations get " + id);
            return ExitCode.IN_PROGRESS;
        }
        agentry().printer().print(answer.body(), Printer.text(reply, "content"));
        return ExitCode.OK;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a conversation.")
    int delete(@Parameters(paramLabel = "CONVERSATION_ID") String id) {
        JsonNode answer = agentry().api().delete(CONVERSATIONS + "/" + TasksCommand.segment(id));
        agentry().printer().print(answer, "Deleted " + id + ".");
        return ExitCode.OK;
    }

    private Agentry agentry() {
        return Objects.requireNonNull(root);
    }
}
