package dev.agentry.api.conversation;

import dev.agentry.api.support.PgChannelListener;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Carries "turn ended" across API instances: the projector runs {@code pg_notify} in its transaction and this
 * listener hands it to the local {@link TurnCompletions}; after a lost connection every local waiter reads its turn
 * again, since notifications sent meanwhile are gone.
 */
@Component
class TurnSignals extends PgChannelListener {

    static final String CHANNEL = "agentry_conversation_turn_ended";

    private static final Logger log = LoggerFactory.getLogger(TurnSignals.class);

    private final TurnCompletions completions;

    TurnSignals(DataSource dataSource, TurnCompletions completions) {
        super("conversation-turn-signals", dataSource, CHANNEL);
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
    protected void onSignal(String payload) {
        completions.signal(UUID.fromString(payload));
    }

    @Override
    protected void onListening() {
        completions.signalAll();
    }

    @Override
    protected void onFailing(RuntimeException failure) {
        log.warn("Conversation turns cannot hear other instances' projections; reconnecting with backoff.", failure);
    }

    @Override
    protected void onRecovery() {
        log.info("Conversation turns hear other instances' projections again.");
    }
}
