package dev.agentry.api.notification;

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
import org.springframework.stereotype.Component;

/**
 * Carries "notification written" across API instances to their live streams: {@link Notifications#create} runs
 * {@code pg_notify} in the writer's transaction, PostgreSQL delivers it on commit to every instance's
 * {@code LISTEN}, and this loop hands it to the local {@link NotificationHub}. The listening connection is taken
 * from the pool and held; after losing it, every local stream reads the database for what it may have missed.
 */
@Component
class NotificationSignals extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(NotificationSignals.class);

    private final DataSource dataSource;
    private final NotificationHub hub;
    private @Nullable Connection connection;

    NotificationSignals(DataSource dataSource, NotificationHub hub) {
        super(
                "notification-signals",
                Duration.ZERO,
                Retry.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)),
                Duration.ofSeconds(2));
        this.dataSource = dataSource;
        this.hub = hub;
    }

    /** The signal's payload: whose notification it is, and its id. Tenant ids and user ids hold no newline. */
    static String payload(String tenantId, String userId, UUID id) {
        return tenantId + '\n' + userId + '\n' + id;
    }

    @Override
    protected boolean runPass() {
        try {
            PGNotification[] notifications = listening().getNotifications(500);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    String[] parts = notification.getParameter().split("\n", 3);
                    if (parts.length == 3) {
                        hub.dispatch(parts[0], parts[1], UUID.fromString(parts[2]));
                    }
                }
            }
            return true;
        } catch (SQLException e) {
            close();
            throw new IllegalStateException("The notification signal connection failed", e);
        }
    }

    private PGConnection listening() throws SQLException {
        if (connection == null) {
            Connection fresh = dataSource.getConnection();
            fresh.setAutoCommit(true);
            try (Statement statement = fresh.createStatement()) {
                statement.execute("listen " + Notifications.CHANNEL);
            }
            connection = fresh;
            hub.resyncAll();
        }
        return connection.unwrap(PGConnection.class);
    }

    @Override
    protected void onFailing(RuntimeException failure) {
        log.warn("Live notification streams cannot hear new notifications; reconnecting with backoff.", failure);
    }

    @Override
    protected void onRecovery() {
        log.info("Live notification streams hear new notifications again.");
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
                log.debug("Closing the notification signal connection failed: {}", e.getMessage());
            }
        }
    }
}
