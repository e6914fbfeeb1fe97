package dev.agentry.cli;

/**
 * What the process's exit status means. 0 to 3 say how the work ended (a mission's or a task's final status); the
 * others say why the command could not do its work at all, so a script can tell "the agent failed" from "the API
 * refused the request".
 */
final class ExitCode {

    /** Done; for work that runs: it completed. */
    static final int OK = 0;
    /** The mission or task ended as failed. */
    static final int FAILED = 1;
    /** The mission is paused on a question to the user; answer it with {@code execute --session}. */
    static final int PAUSED = 2;
    /** The work goes on, but this command stopped following it (in progress, or the stream was lost). */
    static final int IN_PROGRESS = 3;
    /** The API answered with an HTTP error (its body is printed). */
    static final int API_ERROR = 4;
    /** The API could not be reached (connection refused, timed out). */
    static final int UNREACHABLE = 5;
    /** Bad arguments (sysexits' EX_USAGE). */
    static final int USAGE = 64;

    private ExitCode() {}
}
