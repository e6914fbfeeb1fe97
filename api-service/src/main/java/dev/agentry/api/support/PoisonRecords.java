package dev.agentry.api.support;

import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Tells one bad record from an outage when a consumer's batch fails. The batch is applied again one record at a
 * time; the first record that still fails while PostgreSQL answers is the poison, and is named to the container's
 * error handler ({@link BatchListenerFailedException}), which commits what came before it, retries it a bounded
 * number of times and then sets it aside ({@link DeadLetters}). When PostgreSQL does not answer, or the failure is
 * one that passes by itself (a deadlock, a serialization failure), the failure goes up as it is and the whole batch
 * is retried with backoff for as long as it takes: an outage never turns good records into dead letters.
 */
@Component
public class PoisonRecords {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecords.class);

    private final JdbcClient jdbc;

    PoisonRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param sources the record each item was decoded from, index for index
     * @param apply applies one item in a transaction of its own
     */
    public <T> void applyOneByOne(
            List<ConsumerRecord<String, byte[]>> sources, List<T> items, Consumer<T> apply, RuntimeException batch) {
        log.warn("A batch of {} records failed; applying them one at a time to find the cause.", items.size(), batch);
        for (int i = 0; i < items.size(); i++) {
            try {
                apply.accept(items.get(i));
            } catch (RuntimeException failure) {
                if (failure instanceof TransientDataAccessException || !databaseAnswers()) {
                    throw failure;
                }
                ConsumerRecord<String, byte[]> record = sources.get(i);
                throw new BatchListenerFailedException(
                        "Record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                                + " cannot be processed",
                        failure,
                        record);
            }
        }
    }

    private boolean databaseAnswers() {
        try {
            return jdbc.sql("select 1").query(Integer.class).single() == 1;
        } catch (RuntimeException down) {
            return false;
        }
    }
}
