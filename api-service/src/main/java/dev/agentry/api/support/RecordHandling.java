package dev.agentry.api.support;

import dev.agentry.events.codec.UndecodableMessageException;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
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
 * How a consumer that applies its records one at a time treats one that fails, so that one tenant's bad record never
 * stops or loops the stage: bytes that do not decode are set aside at once ({@link DeadLetters}); a record whose
 * processing fails is tried {@code attempts} times in all, with growing pauses, then counted and set aside, and the
 * stage goes on with the next record. The database being away is waited out instead (the error is rethrown and the
 * container retries the batch with backoff; the records before it are idempotent): an outage never makes dead
 * letters.
 */
public final class RecordHandling {

    private final String stage;
    private final int attempts;
    private final Duration pause;
    private final Counter skipped;
    private final Logger log;
    private final DeadLetters deadLetters;

    /**
     * @param stage the stage's name in {@code dead_letters} (and the admin API's {@code stage} filter)
     * @param attempts how often a failing record is tried before it is set aside, at least 1
     * @param pause the pause after the first failed attempt; doubled after each further one
     */
    public RecordHandling(
            String stage, int attempts, Duration pause, Counter skipped, Logger log, DeadLetters deadLetters) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        this.stage = stage;
        this.attempts = attempts;
        this.pause = pause;
        this.skipped = skipped;
        this.log = log;
        this.deadLetters = deadLetters;
    }

    /** Decodes and applies each record in order. */
    public <T> void each(List<ConsumerRecord<String, byte[]>> records, Function<byte[], T> decode, Consumer<T> apply) {
        for (ConsumerRecord<String, byte[]> record : records) {
            T decoded;
            try {
                decoded = decode.apply(record.value() == null ? new byte[0] : record.value());
            } catch (UndecodableMessageException e) {
                setAside(record, "Undecodable: " + e.getMessage(), 1);
                continue;
            } catch (RuntimeException e) {
                // decoding touches nothing but the bytes: whatever else it throws is about them too
                setAside(record, "Undecodable: " + reason(e), 1);
                continue;
            }
            handle(record, () -> apply.accept(decoded));
        }
    }

    void handle(ConsumerRecord<String, byte[]> record, Runnable work) {
        long wait = pause.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                work.run();
                return;
            } catch (RuntimeException e) {
                if (outage(e)) {
                    throw e;
                }
                if (attempt >= attempts) {
                    log.error(
                            "Giving up on record {}-{}@{} after {} attempts.",
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            attempts,
                            e);
                    setAside(record, reason(e), attempts);
                    return;
                }
                sleep(wait);
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }

    private void setAside(ConsumerRecord<String, byte[]> record, String reason, int tried) {
        skipped.increment();
        deadLetters.setAside(DeadLetters.fromRecord(stage, record, reason, tried));
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry a record", e);
        }
    }

    /** The innermost cause says what was wrong with the record (a constraint it broke, a value it cannot hold). */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
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
