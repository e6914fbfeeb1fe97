package dev.agentry.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server (zonky's binaries from Maven Central) whose cluster lives in a directory we keep: initialised
 * on first start, reused afterwards. It answers on localhost only and holds one database, {@code agentry}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "agentry";
    public static final String USERNAME = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final Duration STALE_SERVER_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String PID_FILE = "postmaster.pid";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
    }

    /**
     * Starts PostgreSQL on {@code port} (0 for any free port) with its cluster in {@code dataDir}; refuses, before
     * starting anything, a port that another process holds.
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        stopServerLeftBehind(dataDir);
        FreePorts.requireFree(port, "the embedded PostgreSQL", LocalSettings.POSTGRES_PORT_VARIABLE);
        EmbeddedPostgres postgres;
        try {
            Files.createDirectories(dataDir);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(FreePorts.orPick(port))
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // Zonky favours speed for throwaway test databases; these data are kept, so commits are durable.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "32MB")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, dataDir);
        try {
            database.requireServing(dataDir);
            database.createDatabaseIfMissing();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        log.info("Embedded PostgreSQL is up on port {} with its data in {}.", postgres.getPort(), dataDir);
        return database;
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String username() {
        return USERNAME;
    }

    /** Local connections are trusted (initdb -A trust), so there is no password. */
    public String password() {
        return "";
    }

    @Override
    public void close() {
        log.info("Stopping the embedded PostgreSQL on port {}.", port());
        try {
            postgres.close();
            log.info("Embedded PostgreSQL on port {} stopped.", port());
        } catch (IOException e) {
            log.warn("Embedded PostgreSQL on port {} did not stop cleanly.", port(), e);
        }
    }

    /**
     * Zonky does not notice when its server fails to start: it waits until something answers on the port, and
     * takes whatever does for its own. Checked up front too ({@link FreePorts#requireFree}); this closes the gap of
     * a server that took the port in between.
     */
    void requireServing(Path dataDir) {
        String served;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW data_directory")) {
            rows.next();
            served = rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not ask the PostgreSQL on port " + port() + " for its data", e);
        }
        if (!sameDirectory(Path.of(served), dataDir)) {
            throw new IllegalStateException(
                    "The PostgreSQL on port " + port() + " serves " + served + ", not " + dataDir
                            + ": another server holds the port. Stop it, or set " + LocalSettings.POSTGRES_PORT_VARIABLE
                            + " to another port.");
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
            log.info("Created the {} database.", DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the " + DATABASE + " database", e);
        }
    }

    /**
     * The last resort when a stop overran its bound: a fast shutdown of the server (SIGINT to the postmaster, as
     * {@code pg_ctl stop -m fast}) without waiting on zonky, then SIGKILL if it lingers.
     */
    void stopNow() {
        readPid(dataDir.resolve(PID_FILE)).flatMap(ProcessHandle::of).ifPresent(process -> {
            log.warn("Stopping PostgreSQL (pid {}) at once.", process.pid());
            if (!fastShutdown(process, Duration.ofSeconds(5))) {
                process.destroyForcibly();
            }
        });
    }

    /**
     * A platform killed without a chance to clean up (kill -9, a crash, a stop that overran its bound) leaves its
     * postmaster running on our data directory, and a new one would refuse to start. Such a server is ours: it serves
     * this very directory (checked, not assumed from the pid, which may have been reused). Stop it as
     * {@code pg_ctl stop -m fast} would; its committed data are safe, and the next start recovers from its WAL. A pid
     * file whose process is something else is stale, and is removed, or PostgreSQL would refuse to start.
     */
    private static void stopServerLeftBehind(Path dataDir) {
        Path pidFile = dataDir.resolve(PID_FILE);
        Optional<ProcessHandle> holder =
                readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (holder.isEmpty()) {
            return;
        }
        ProcessHandle process = holder.get();
        if (!servesDirectory(process, dataDir)) {
            log.warn(
                    "{} names pid {}, which is not a PostgreSQL serving {}: a stale pid file; removing it.",
                    pidFile,
                    process.pid(),
                    dataDir);
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not remove the stale " + pidFile, e);
            }
            return;
        }
        log.warn(
                "A PostgreSQL server (pid {}) left running by an earlier run still serves {}; stopping it.",
                process.pid(),
                dataDir);
        if (!fastShutdown(process, STALE_SERVER_STOP_TIMEOUT)) {
            throw new IllegalStateException("The PostgreSQL server left behind (pid " + process.pid()
                    + ") did not stop within " + STALE_SERVER_STOP_TIMEOUT.toSeconds() + " s; stop it and start again");
        }
        log.info("The PostgreSQL server left behind (pid {}) has stopped.", process.pid());
    }

    /**
     * Whether the process is a postmaster of {@code dataDir}. A postmaster works in its data directory, so on Linux
     * its {@code /proc/<pid>/cwd} says it for certain; elsewhere its command and arguments have to do.
     */
    static boolean servesDirectory(ProcessHandle process, Path dataDir) {
        Path cwd = Path.of("/proc", String.valueOf(process.pid()), "cwd");
        if (Files.isDirectory(cwd)) {
            return sameDirectory(cwd, dataDir);
        }
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command().map(c -> c.endsWith("postgres")).orElse(false);
        String dir = dataDir.toAbsolutePath().normalize().toString();
        return postgres
                && info.arguments()
                        .map(arguments -> List.of(arguments).contains(dir))
                        .orElse(true);
    }

    /** SIGINT, PostgreSQL's fast shutdown: sessions are ended, and the server stops after a checkpoint. */
    private static boolean fastShutdown(ProcessHandle process, Duration timeout) {
        try {
            new ProcessBuilder("kill", "-INT", String.valueOf(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | ExecutionException | TimeoutException e) {
            return !process.isAlive();
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
