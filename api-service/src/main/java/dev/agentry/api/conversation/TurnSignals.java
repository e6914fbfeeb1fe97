package dev.agentry.api.conversation;

import dev.agentry.api.support.BackgroundLoop;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Carries "turn ended" across API instances: the projector runs {@code pg_notify} in its transaction, PostgreSQL
 * delivers it on commit to every instance's {@code LISTEN}, and this loop hands it to the local
 * {@link TurnCompletions}. The listening connection is taken from the pool and held; after losing it, every local
 * waiter reads its turn again, since notifications sent meanwhile are gone.
 */
@Component
class TurnSignals extends BackgroundLoop {

    static final String CHANNEL = "agentry_conversation_turn_ended";

    private static final Logger log = LoggerFactory.getLogger(TurnSignals.class);

    private final DataSource dataSource;
    private final TurnCompletions completions;
    private @Nullable Connection connection;

    TurnSignals(DataSource dataSource, TurnCompletions completions) {
        super(
                "conversation-turn-signals",
                Duration.ZERO,
                Retry.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)),
                Duration.ofSeconds(2));
        this.dataSource = dataSource;
        this.completions = completions;
    }

    /** Signals every instance, when the caller's transaction commits, that the turn ended. */
    static void notifyEnded(JdbcClient jdbc, UUID turnId) {
        jdbc.sql("select pg_notify(?, ?)")
                .params(CHANNEL, turnId.toString())
                .query((rs, n) -> 1)
                .list();
    }

    @Override
    protected boolean runPass() {
        try {
            PGConnection listening = listening();
            PGNotification[] notifications = listening.getNotifications(500);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    completions.signal(UUID.fromString(notification.getParameter()));
                }
            }
            return true;
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("The turn notification connection failed", e);
        }
    }

    private PGConnection listening() throws SQLException {
        if (connection == null) {
            Connection fresh = dataSource.getConnection();
            fresh.setAutoCommit(true);
            try (Statement statement = fresh.createStatement()) {
                statement.execute("listen " + CHANNEL);
            }
            connection = fresh;
            completions.signalAll();
        }
        return connection.unwrap(PGConnection.class);
    }

    @Override
    protected void onFailing(RuntimeException failure) {
        log.warn("Conversation turns cannot hear other instances' projections; reconnecting with backoff.", failure);
    }

    @Override
    protected void onRecovery() {
        log.info("Conversation turns hear other instances' projections again.");
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
                log.debug("Closing the turn notification connection failed: {}", e.getMessage());
            }
        }
    }
}
