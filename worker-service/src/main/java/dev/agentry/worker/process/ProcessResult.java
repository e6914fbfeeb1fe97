package dev.agentry.worker.process;

import java.util.List;

/**
 * How a process ended.
 *
 * @param lastErrorLines the last lines it wrote to stderr (or to stdout when streams are merged), for error messages
 */
public record ProcessResult(int exitCode, List<String> lastErrorLines) {

    public ProcessResult {
        lastErrorLines = List.copyOf(lastErrorLines);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    public String errorTail() {
        return String.join("\n", lastErrorLines);
    }
}
