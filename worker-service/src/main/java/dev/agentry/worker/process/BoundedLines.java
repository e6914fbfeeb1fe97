package dev.agentry.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits what a process prints into lines it is safe to carry anywhere: whatever the bytes, memory stays bounded
 * and no line holds what a consumer downstream refuses. Invalid UTF-8 becomes U+FFFD (the decoder's replacement),
 * NUL and the other C0 controls but tab become U+FFFD too (PostgreSQL text and jsonb reject NUL outright), and a
 * line longer than the cap is cut there, with a note of how much was dropped, while the rest of it is read and
 * thrown away.
 */
final class BoundedLines {

    /** Enough for any line a person reads and for the JSON lines of agent CLIs; far below Kafka's request size. */
    static final int MAX_LINE_CHARS = 256 * 1024;

    private BoundedLines() {}

    /** Reads the stream to its end, handing each line (without its terminator) to {@code onLine}. */
    static void read(InputStream stream, Consumer<String> onLine) throws IOException {
        read(stream, onLine, MAX_LINE_CHARS);
    }

    static void read(InputStream stream, Consumer<String> onLine, int maxChars) throws IOException {
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            long dropped = 0;
            boolean pending = false;
            char[] buffer = new char[8192];
            int n;
            while ((n = reader.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        onLine.accept(finish(line, dropped));
                        line.setLength(0);
                        dropped = 0;
                        pending = false;
                        continue;
                    }
                    pending = true;
                    if (line.length() >= maxChars) {
                        dropped++;
                    } else {
                        line.append(c < 0x20 && c != '\t' && c != '\r' ? '\uFFFD' : c);
                    }
                }
            }
            if (pending) {
                onLine.accept(finish(line, dropped));
            }
        }
    }

    private static String finish(StringBuilder line, long dropped) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        // A lone '\r' elsewhere is a control character like the others.
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\r') {
                line.setCharAt(i, '\uFFFD');
            }
        }
        return dropped == 0 ? line.toString() : line + " … [line cut: " + dropped + " more characters]";
    }
}
