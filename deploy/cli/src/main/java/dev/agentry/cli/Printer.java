package dev.agentry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;

/**
 * Prints an answer: with {@code --output json} the API's JSON as it came (indented), otherwise the lines the command
 * makes of it. Text output is for people; scripts should ask for JSON.
 */
final class Printer {

    private final PrintStream out;
    private final boolean json;

    Printer(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** The JSON document in JSON mode, else {@code text}. */
    void print(JsonNode answer, String text) {
        if (json) {
            out.println(ApiClient.JSON
                    .writer()
                    .with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(answer));
        } else {
            out.println(text);
        }
    }

    /** One compact JSON line: for streams, one event a line. */
    void jsonLine(JsonNode event) {
        out.println(ApiClient.JSON.writeValueAsString(event));
    }

    void line(String text) {
        out.println(text);
    }

    /** Rows as columns padded to their widest cell; the last column is not padded. */
    static String table(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns - 1; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = row.get(i);
                line.append(i < columns - 1 ? cell + " ".repeat(widths[i] - cell.length() + 2) : cell);
            }
            lines.add(line.toString().stripTrailing());
        }
        return String.join("\n", lines);
    }

    /** A field's text, or "-" when it is absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "-" : value.asString();
    }

    /** At most {@code max} characters on one line. */
    static String shorten(String text, int max) {
        String line = text.replace('\n', ' ').strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
