package dev.agentry.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code agentry}: the platform's API from a terminal or a script. Configured by {@code AGENTRY_URL} and
 * {@code AGENTRY_TOKEN}; the token is read from the environment only, so it is never on a command line.
 */
@Command(
        name = "agentry",
        mixinStandardHelpOptions = true,
        version = "agentry 0.1.0",
        subcommands = {
            ExecuteCommand.class,
            TasksCommand.class,
            ConversationsCommand.class,
            SessionsCommand.class,
            CommandLine.HelpCommand.class
        },
        description = "Runs missions and tasks on an Agentry platform and follows them.",
        footer = {
            "",
            "Environment:",
            "  AGENTRY_URL    the API (default " + Agentry.DEFAULT_URL + ")",
            "  AGENTRY_TOKEN  the bearer token (read from the environment only)",
            "Exit codes:",
            "  0   done; the mission or task completed",
            "  1   the mission or task failed",
            "  2   the mission is paused on a question (answer with execute --session)",
            "  3   still in progress, or the stream was lost; the work goes on",
            "  4   the API answered an HTTP error (its body is printed)",
            "  5   the API could not be reached",
            "  64  bad arguments"
        })
public final class Agentry implements Runnable {

    static final String DEFAULT_URL = "http://localhost:8080";

    /** How results are printed: for people, or one JSON document (a JSON line per event when streaming). */
    enum Output {
        text,
        json
    }

    @Option(
            names = "--url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description = "The API's base URL (default: $AGENTRY_URL, else " + DEFAULT_URL + ").")
    private @Nullable String url;

    @Option(
            names = {"-o", "--output"},
            scope = ScopeType.INHERIT,
            paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).",
            defaultValue = "text")
    private Output output = Output.text;

    private final Terminal terminal;
    private @Nullable ApiClient api;

    Agentry(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        boolean tty = System.console() != null && System.console().isTerminal();
        System.exit(run(args, new Terminal(System.getenv(), out, err, tty)));
    }

    /** The whole command line, for {@link #main} and for tests; answers the exit code. */
    static int run(String[] args, Terminal terminal) {
        CommandLine line = new CommandLine(new Agentry(terminal))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(terminal.out(), true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(terminal.err(), true, StandardCharsets.UTF_8))
                .setExitCodeExceptionMapper(Agentry::exitCode)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    terminal.err().println("agentry: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
                    if (e instanceof ApiException api && !api.body().isBlank()) {
                        terminal.err().println(api.body());
                    }
                    if (e instanceof ApiException api
                            && api.status() == 401
                            && !terminal.env().containsKey("AGENTRY_TOKEN")) {
                        terminal.err().println("agentry: AGENTRY_TOKEN is not set; deploy/local/run prints a token.");
                    }
                    return exitCode(e);
                });
        line.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE);
        return line.execute(args);
    }

    private static int exitCode(Throwable e) {
        return switch (e) {
            case ApiException ignored -> ExitCode.API_ERROR;
            case UnreachableException ignored -> ExitCode.UNREACHABLE;
            case IllegalArgumentException ignored -> ExitCode.USAGE;
            case CommandLine.ParameterException ignored -> ExitCode.USAGE;
            default -> ExitCode.FAILED;
        };
    }

    @Spec
    private @Nullable CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                java.util.Objects.requireNonNull(spec).commandLine(),
                "Missing command: execute, tasks, conversations or sessions.");
    }

    Terminal terminal() {
        return terminal;
    }

    boolean json() {
        return output == Output.json;
    }

    Printer printer() {
        return new Printer(terminal.out(), json());
    }

    ApiClient api() {
        if (api == null) {
            String base = url != null ? url : terminal.env().getOrDefault("AGENTRY_URL", DEFAULT_URL);
            if (!base.startsWith("http://") && !base.startsWith("https://")) {
                throw new IllegalArgumentException("The API URL must start with http:// or https://, not: " + base);
            }
            api = new ApiClient(base, terminal.env().get("AGENTRY_TOKEN"));
        }
        return api;
    }

    /** Where the command reads its settings and writes its output; {@code tty}: stdout is a terminal. */
    record Terminal(Map<String, String> env, PrintStream out, PrintStream err, boolean tty) {}
}
