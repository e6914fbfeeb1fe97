package dev.agentry.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL for tests: the local server on 127.0.0.1:5432 when one answers (CI and developer
 * machines), otherwise an embedded one started once per JVM. Every call to {@link #create()} returns a fresh,
 * empty database, so test classes never see each other's rows.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final String LOCAL_HOST = System.getProperty("agentry.test.pg.host", "127.0.0.1");
    private static final int LOCAL_PORT = Integer.getInteger("agentry.test.pg.port", 5432);

    private static volatile Server server;

    /** Connection settings of one database. */
    public record Database(String url, String username, String password) {}

    private record Server(String host, int port, String user) {}

    public static synchronized Database create() {
        Server s = server();
        String name =
                "agentry_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String adminUrl = "jdbc:postgresql://" + s.host() + ":" + s.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(adminUrl, s.user(), "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return new Database("jdbc:postgresql://" + s.host() + ":" + s.port() + "/" + name, s.user(), "");
    }

    private static Server server() {
        if (server == null) {
            server = localServerAnswers() ? new Server(LOCAL_HOST, LOCAL_PORT, "postgres") : embedded();
        }
        return server;
    }

    private static boolean localServerAnswers() {
        if (Boolean.getBoolean("agentry.test.pg.embedded")) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOCAL_HOST, LOCAL_PORT), 500);
        } catch (IOException e) {
            return false;
        }
        try (Connection ignored = DriverManager.getConnection(
                "jdbc:postgresql://" + LOCAL_HOST + ":" + LOCAL_PORT + "/postgres", "postgres", "")) {
            log.info("Tests use the local PostgreSQL at {}:{}.", LOCAL_HOST, LOCAL_PORT);
            return true;
        } catch (SQLException e) {
            log.info(
                    "A server answers on {}:{} but refuses us ({}); starting an embedded PostgreSQL.",
                    LOCAL_HOST,
                    LOCAL_PORT,
                    e.getMessage());
            return false;
        }
    }

    private static Server embedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away either way
                }
            }));
            log.info("Tests use an embedded PostgreSQL on port {}.", pg.getPort());
            return new Server("localhost", pg.getPort(), "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL", e);
        }
    }

    private TestDatabase() {}
}
