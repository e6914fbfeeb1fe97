package dev.agentry.local;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local platform as a user runs it: {@link LocalPlatform#main} in a JVM of its own, configured by environment
 * variables only, its console collected line by line, stopped by real signals.
 */
final class PlatformProcess implements AutoCloseable {

    static final String TOKEN = "platform-process-token";
    private static final Pattern API_PORT = Pattern.compile("Service api is up on port (\\d+)\\.");

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private PlatformProcess(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("platform-console-" + process.pid()).start(this::collect);
    }

    /** Starts a platform on {@code dataDir} with free ports, the command runtime ({@code sh -c <prompt>}) and 2 slots. */
    static PlatformProcess start(Path dataDir) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                java,
                "-XX:+UseParallelGC",
                "-Xmx1g",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "--sun-misc-unsafe-memory-access=allow",
                "-cp",
                classPath,
                LocalPlatform.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AGENTRY_"));
        env.put("AGENTRY_DATA_DIR", dataDir.toString());
        for (String port : List.of("API", "WORKER", "SCHEDULER", "DASHBOARD", "KAFKA", "POSTGRES")) {
            env.put("AGENTRY_" + port + "_PORT", "0");
        }
        env.put("AGENTRY_BOOTSTRAP_TOKEN", TOKEN);
        env.put("AGENTRY_WORKER_CONCURRENCY", "2");
        // The shortest acquisition lock a broker allows: a record a killed worker held comes back soon after.
        env.put("AGENTRY_WORKER_LOCKDURATION", "15s");
        env.put("AGENTRY_WORKER_COMMAND_ARGV_0", "sh");
        env.put("AGENTRY_WORKER_COMMAND_ARGV_1", "-c");
        env.put("AGENTRY_WORKER_COMMAND_ARGV_2", "{prompt}");
        try {
            return new PlatformProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the platform's JVM", e);
        }
    }

    /** Waits until a console line contains {@code text}. */
    void awaitLine(String text, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .failFast("the platform exited", () -> !process.isAlive() && !hasLine(text))
                .until(() -> hasLine(text));
    }

    boolean hasLine(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** The API's URL, once its service is up. */
    String apiUrl() {
        for (String line : lines) {
            Matcher port = API_PORT.matcher(line);
            if (port.find()) {
                return "http://localhost:" + port.group(1);
            }
        }
        throw new AssertionError("The api is not up yet:\n" + console());
    }

    PlatformClient client() {
        return new PlatformClient(apiUrl(), TOKEN);
    }

    /** SIGTERM (what Ctrl-C in a terminal, an init system or {@code kill} send) or SIGINT, and how long it took. */
    Duration signal(String signal) {
        long began = System.nanoTime();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .inheritIO()
                    .start();
            kill.waitFor(10, TimeUnit.SECONDS);
            awaitExit(Duration.ofSeconds(150));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** kill -9: no shutdown hook runs, and PostgreSQL, a process of its own, is left running. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    private void awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("The platform did not exit within " + atMost + ":\n" + console());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String console() {
        return String.join("\n", lines);
    }

    /** The PostgreSQL processes that work in {@code postgresDir} (its postmaster and backends). */
    static List<ProcessHandle> postgresServing(Path postgresDir) {
        return ProcessHandle.allProcesses()
                .filter(process -> {
                    Path cwd = Path.of("/proc", String.valueOf(process.pid()), "cwd");
                    try {
                        return Files.isSameFile(cwd, postgresDir);
                    } catch (IOException e) {
                        return false;
                    }
                })
                .toList();
    }

    private void collect() {
        try (BufferedReader console =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = console.readLine()) != null) {
                lines.add(line);
                System.out.println("[platform " + process.pid() + "] " + line);
            }
        } catch (IOException e) {
            lines.add("(console closed: " + e.getMessage() + ")");
        }
    }

    /** Leaves nothing behind, whatever the test did: the JVM, then any PostgreSQL on the data directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }
}
