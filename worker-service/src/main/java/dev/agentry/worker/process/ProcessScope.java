package dev.agentry.worker.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of one task run, under one deadline. Every process gets a controlled environment (a short allow
 * list of the worker's own variables plus what the caller adds, so the worker's secrets never reach an agent) and a
 * closed stdin. When the deadline passes, or {@link #cancel()} is called, the whole process tree is killed.
 */
public final class ProcessScope {

    private static final Logger log = LoggerFactory.getLogger(ProcessScope.class);
    private static final Set<String> INHERITED_ENV = Set.of(
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "LANG",
            "LC_ALL",
            "LC_CTYPE",
            "TZ",
            "TMPDIR",
            "SHELL",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "no_proxy",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "NODE_EXTRA_CA_CERTS");
    private static final int ERROR_TAIL_LINES = 20;

    private final Instant deadline;
    private final Duration timeout;
    private final Duration killGrace;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    public ProcessScope(Duration timeout, Duration killGrace) {
        this.timeout = timeout;
        this.deadline = Instant.now().plus(timeout);
        this.killGrace = killGrace;
    }

    /**
     * Runs a process to its end, handing each stdout line to {@code onLine} on a reader thread.
     *
     * @throws ProcessTimedOutException when the scope's deadline passed; the tree is dead by then
     * @throws ProcessCancelledException when the scope was cancelled; the tree is dead by then
     */
    public ProcessResult run(ProcessSpec spec, Consumer<String> onLine) {
        throwIfOver();
        ProcessBuilder builder = new ProcessBuilder(spec.argv())
                .directory(spec.directory().toFile())
                .redirectErrorStream(spec.mergeStderr());
        builder.environment().clear();
        builder.environment().putAll(spec.inheritEnvironment() ? environment(spec.env()) : spec.env());
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + spec.argv().getFirst() + ": " + e.getMessage(), e);
        }
        running.add(process);
        try {
            return await(process, spec, onLine);
        } finally {
            running.remove(process);
        }
    }

    /** Kills every running process tree of this scope; later {@link #run} calls fail at once. */
    public void cancel() {
        cancelled = true;
        for (Process process : running) {
            ProcessTrees.kill(process.toHandle(), killGrace);
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Fails fast when the deadline passed or the scope was cancelled, for work between processes. */
    public void throwIfOver() {
        if (cancelled) {
            throw new ProcessCancelledException();
        }
        if (Instant.now().isAfter(deadline)) {
            throw new ProcessTimedOutException(timeout);
        }
    }

    private ProcessResult await(Process process, ProcessSpec spec, Consumer<String> onLine) {
        ErrorTail tail = new ErrorTail();
        Thread stdout = Thread.ofVirtual()
                .name("stdout-" + process.pid())
                .start(() -> read(process.getInputStream(), line -> {
                    if (spec.mergeStderr()) {
                        tail.add(line);
                    }
                    deliver(onLine, line);
                }));
        @Nullable
        Thread stderr = spec.mergeStderr()
                ? null
                : Thread.ofVirtual()
                        .name("stderr-" + process.pid())
                        .start(() -> read(process.getErrorStream(), tail::add));
        if (cancelled) {
            ProcessTrees.kill(process.toHandle(), killGrace);
        }
        boolean timedOut = false;
        try {
            long remaining =
                    Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
            if (!process.waitFor(remaining, TimeUnit.MILLISECONDS)) {
                timedOut = true;
                log.info(
                        "Process {} outlived its {} s deadline; killing its tree.", process.pid(), timeout.toSeconds());
                ProcessTrees.kill(process.toHandle(), killGrace);
            }
            // A grandchild that survived with the pipe open must not hold the task: bounded joins.
            stdout.join(Duration.ofSeconds(5));
            if (stderr != null) {
                stderr.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTrees.kill(process.toHandle(), killGrace);
            throw new ProcessCancelledException();
        }
        if (cancelled) {
            throw new ProcessCancelledException();
        }
        if (timedOut) {
            throw new ProcessTimedOutException(timeout);
        }
        return new ProcessResult(process.exitValue(), tail.lines());
    }

    private static void deliver(Consumer<String> onLine, String line) {
        try {
            onLine.accept(line);
        } catch (RuntimeException e) {
            // Keep draining the pipe whatever the consumer does, or the child blocks on a full pipe.
            log.warn("A process output line could not be handled.", e);
        }
    }

    private static void read(InputStream stream, Consumer<String> onLine) {
        try {
            BoundedLines.read(stream, onLine);
        } catch (IOException e) {
            // The process went away with the pipe; nothing more to read.
        }
    }

    private static Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (INHERITED_ENV.contains(name)) {
                env.put(name, value);
            }
        });
        env.putAll(extra);
        return env;
    }

    private static final class ErrorTail {
        private final ArrayDeque<String> lines = new ArrayDeque<>();

        synchronized void add(String line) {
            if (lines.size() == ERROR_TAIL_LINES) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }
    }
}
