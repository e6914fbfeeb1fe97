package dev.agentry.api.notification;

import dev.agentry.api.support.PgChannelListener;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Carries "notification written" across API instances to their live streams: {@link Notifications#create} runs
 * {@code pg_notify} in the writer's transaction and this listener hands it to the local {@link NotificationHub};
 * after a lost connection every local stream reads the database for what it may have missed.
 */
@Component
class NotificationSignals extends PgChannelListener {

    private static final Logger log = LoggerFactory.getLogger(NotificationSignals.class);

    private final NotificationHub hub;

    NotificationSignals(DataSource dataSource, NotificationHub hub) {
        super("notification-signals", dataSource, Notifications.CHANNEL);
        this.hub = hub;
    }

    /** The signal's payload: whose notification it is, and its id. Tenant ids and user ids hold no newline. */
    static String payload(String tenantId, String userId, UUID id) {
        return tenantId + '\n' + userId + '\n' + id;
    }

    @Override
    protected void onSignal(String payload) {
        String[] parts = payload.split("\n", 3);
        if (parts.length == 3) {
            hub.dispatch(parts[0], parts[1], UUID.fromString(parts[2]));
        }
    }

    @Override
    protected void onListening() {
        hub.resyncAll();
    }

    @Override
    protected void onFailing(RuntimeException failure) {
        log.warn("Live notification streams cannot hear new notifications; reconnecting with backoff.", failure);
    }

    @Override
    protected void onRecovery() {
        log.info("Live notification streams hear new notifications again.");
    }
}
