package dev.agentry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Runs the {@code agentry} command line in this JVM with the given environment, capturing what it prints. */
final class CliRun {

    private final Map<String, String> env = new HashMap<>();
    private boolean tty;

    static CliRun against(String url, @Nullable String token) {
        CliRun run = new CliRun();
        run.env.put("AGENTRY_URL", url);
        if (token != null) {
            run.env.put("AGENTRY_TOKEN", token);
        }
        return run;
    }

    CliRun withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    CliRun onATerminal() {
        tty = true;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Agentry.run(args, new Agentry.Terminal(Map.copyOf(env), o, e, tty));
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String out, String err) {

        JsonNode json() {
            return ApiClient.JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
