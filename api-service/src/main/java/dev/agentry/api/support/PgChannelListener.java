package dev.agentry.api.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears one PostgreSQL {@code NOTIFY} channel on this instance: a writer runs {@code pg_notify} in its transaction,
 * PostgreSQL delivers it on commit to every instance's {@code LISTEN}, and {@link #onSignal} gets its payload. The
 * listening connection is taken from the pool and held; a lost connection is reopened with backoff, and since
 * signals sent meanwhile are gone, {@link #onListening} runs each time listening (re)starts so that whoever waits
 * reads the database for what it may have missed.
 */
public abstract class PgChannelListener extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(PgChannelListener.class);

    private final DataSource dataSource;
    private final String channel;
    private @Nullable Connection connection;

    /** @param channel a fixed identifier (it is written into the {@code LISTEN} statement) */
    protected PgChannelListener(String threadName, DataSource dataSource, String channel) {
        super(
                threadName,
                Duration.ZERO,
                Retry.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)),
                Duration.ofSeconds(2));
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a channel identifier: " + channel);
        }
        this.dataSource = dataSource;
        this.channel = channel;
    }

    /** One signal's payload, as the writer gave it to {@code pg_notify}. */
    protected abstract void onSignal(String payload);

    /** Listening has (re)started: signals sent before now may have been missed. */
    protected abstract void onListening();

    @Override
    protected final boolean runPass() {
        try {
            PGNotification[] notifications = listening().getNotifications(500);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    try {
                        onSignal(notification.getParameter());
                    } catch (RuntimeException e) {
                        // One unreadable signal costs only itself, never the signals behind it.
                        log.warn("Skipped a signal on {} that could not be handled: {}", channel, e.getMessage());
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("The connection listening on " + channel + " failed", e);
        }
    }

    private PGConnection listening() throws SQLException {
        if (connection == null) {
            Connection fresh = dataSource.getConnection();
            fresh.setAutoCommit(true);
            try (Statement statement = fresh.createStatement()) {
                statement.execute("listen " + channel);
            }
            connection = fresh;
            onListening();
        }
        return connection.unwrap(PGConnection.class);
    }

    @Override
    public void stop() {
        super.stop();
        close();
    }

    private void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("Closing the connection listening on {} failed: {}", channel, e.getMessage());
            }
        }
    }
}
