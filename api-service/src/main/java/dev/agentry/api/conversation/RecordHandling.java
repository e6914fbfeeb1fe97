package dev.agentry.api.conversation;

import dev.agentry.api.support.Records;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * How the conversation consumers treat a record that fails: the database being away is waited out (the error is
 * rethrown, and the container retries the batch with backoff; the records before it are idempotent), anything else
 * is tried a bounded number of times, then logged, counted and skipped, so one bad record never stops the stage.
 */
final class RecordHandling {

    private RecordHandling() {}

    /** Decodes and applies each record in order; one that does not decode is counted and skipped at once. */
    static <T> void each(
            List<ConsumerRecord<String, byte[]>> records,
            Function<byte[], T> decode,
            int attempts,
            Counter skipped,
            Logger log,
            Consumer<T> apply) {
        for (ConsumerRecord<String, byte[]> record : records) {
            T decoded = Records.decodeOrSkip(record, decode, skipped, log);
            if (decoded != null) {
                handle(record, attempts, skipped, log, () -> apply.accept(decoded));
            }
        }
    }

    static void handle(
            ConsumerRecord<String, byte[]> record, int attempts, Counter skipped, Logger log, Runnable work) {
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                if (outage(e)) {
                    throw e;
                }
                if (attempt >= attempts) {
                    skipped.increment();
                    log.error(
                            "Skipping record {}-{}@{} after {} attempts.",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            attempts,
                            e);
                    return;
                }
            }
        }
    }

    private static boolean outage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CannotCreateTransactionException
                    || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException) {
                return true;
            }
            if (t instanceof NonTransientDataAccessException) {
                return false;
            }
        }
        return false;
    }
}
