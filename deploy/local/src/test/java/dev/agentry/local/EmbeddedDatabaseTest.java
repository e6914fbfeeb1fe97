package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
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

    private static Connection connect(EmbeddedDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
