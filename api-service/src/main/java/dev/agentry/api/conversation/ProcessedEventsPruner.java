package dev.agentry.api.conversation;

import dev.agentry.api.support.BackgroundLoop;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code conversation_processed_events} bounded: every {@code processed-events-prune-interval}, deletes the
 * envelope ids projected longer than {@code processed-events-retention} ago, a bounded batch per statement (so no
 * pass holds a long transaction or a large lock), going on at once while batches come back full. Any number of API
 * instances may run it: a row two of them delete at once is simply deleted once.
 */
@Component
class ProcessedEventsPruner extends BackgroundLoop {

    static final int BATCH = 10_000;

    private static final Logger log = LoggerFactory.getLogger(ProcessedEventsPruner.class);

    private final JdbcClient jdbc;
    private final ConversationProperties properties;

    ProcessedEventsPruner(JdbcClient jdbc, ConversationProperties properties) {
        super(
                "conversation-processed-events-pruner",
                properties.processedEventsPruneInterval(),
                Retry.atNextPoll(),
                Duration.ofSeconds(5));
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Deletes one batch of the ids older than the retention; returns how many went. */
    int pruneOnce() {
        Instant cutoff = Instant.now().minus(properties.processedEventsRetention());
        return jdbc.sql("""
                        delete from conversation_processed_events where event_id = any(array(
                            select event_id from conversation_processed_events
                            where processed_at < ? limit ?))""").params(Timestamp.from(cutoff), BATCH).update();
    }

    @Override
    protected boolean runPass() {
        int deleted = pruneOnce();
        if (deleted > 0) {
            log.debug("Pruned {} projected conversation event ids.", deleted);
        }
        return deleted == BATCH;
    }

    @Override
    protected void onFailing(RuntimeException failure) {
        log.warn("Pruning old conversation_processed_events failed; trying again at the next interval.", failure);
    }

    @Override
    protected void onRecovery() {
        log.info("Pruning conversation_processed_events works again.");
    }
}
