package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @TempDir
    Path dataDir;

    @Test
    void keepsRowsAcrossARestart() throws SQLException {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0)) {
            try (Connection connection = connect(database);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)");
                statement.execute("INSERT INTO notes VALUES (1, 'survives a restart')");
            }
        }

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0);
                Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT body FROM notes WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("survives a restart");
        }
    }

    @Test
    void servesTheAgentryDatabaseWithDurableCommits() throws SQLException {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0)) {
            assertThat(database.jdbcUrl()).endsWith("/agentry");
            try (Connection connection = connect(database);
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SHOW synchronous_commit")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("on");
            }
        }
    }

    @Test
    void stopsItsServerWhenClosed() {
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0);
        assertThat(dataDir.resolve("postmaster.pid")).exists();

        database.close();

        assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).isFalse();
    }

    /** After a reboot the pid in a stale postmaster.pid may belong to anything: here, this very JVM. */
    @Test
    void removesAStalePidFileWhoseProcessIsNotItsServerAndStarts() throws IOException, SQLException {
        EmbeddedDatabase.start(dataDir, 0).close();
        Files.writeString(
                dataDir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dataDir + "\n");

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0);
                Connection connection = connect(database)) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    @Test
    void tellsItsOwnPostmasterFromAnyOtherProcess(@TempDir Path otherDataDir) throws IOException {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0)) {
            long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid"))
                    .getFirst()
                    .trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();

            assertThat(EmbeddedDatabase.servesDirectory(postmaster, dataDir)).isTrue();
            assertThat(EmbeddedDatabase.servesDirectory(postmaster, otherDataDir))
                    .isFalse();
            assertThat(EmbeddedDatabase.servesDirectory(ProcessHandle.current(), dataDir))
                    .isFalse();
        }
    }

    /** Zonky alone would wait forever here, in a read that no interrupt ends: the socket accepts and never answers. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void refusesAPortAnotherProcessHoldsBeforeStartingAnything() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir, port))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + port + " is already taken")
                    .hasMessageContaining("set AGENTRY_POSTGRES_PORT to another port");
        }
        assertThat(dataDir.resolve("PG_VERSION")).doesNotExist();
    }

    /** Zonky alone would take the other server for its own, and we would read and write its data. */
    @Test
    void refusesThePortOfAServerLeftRunningOnAnotherDataDirectory(@TempDir Path otherDataDir) throws SQLException {
        try (EmbeddedDatabase other = EmbeddedDatabase.start(otherDataDir, 0)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir, other.port()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + other.port() + " is already taken")
                    .hasMessageContaining("set AGENTRY_POSTGRES_PORT to another port");

            try (Connection connection = connect(other);
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SHOW data_directory")) {
                assertThat(rows.next()).isTrue();
                assertThat(Path.of(rows.getString(1))).isEqualTo(otherDataDir);
            }
        }
        assertThat(dataDir.resolve("PG_VERSION")).doesNotExist();
    }

    @Test
    void tellsItsOwnServerFromOneServingAnotherDataDirectory(@TempDir Path otherDataDir) {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0)) {
            database.requireServing(dataDir);

            assertThatThrownBy(() -> database.requireServing(otherDataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("serves " + dataDir + ", not " + otherDataDir)
                    .hasMessageContaining("set AGENTRY_POSTGRES_PORT to another port");
        }
    }

    private static Connection connect(EmbeddedDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
