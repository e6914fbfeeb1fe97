package dev.agentry.api.support;

import dev.agentry.events.codec.UndecodableMessageException;
import io.micrometer.core.instrument.Counter;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/** What the API's Kafka consumers share about the records they read. */
public final class Records {

    private Records() {}

    /**
     * Decodes a record, or counts and logs it as skipped when it is not a message this consumer reads: retrying
     * bytes that do not decode cannot help, and one such record must not stop the stage.
     *
     * @return the decoded message, or null when the record was skipped
     */
    public static <T> @Nullable T decodeOrSkip(
            ConsumerRecord<String, byte[]> record, Function<byte[], T> decode, Counter skipped, Logger log) {
        try {
            return decode.apply(record.value());
        } catch (UndecodableMessageException e) {
            skipped.increment();
            log.warn(
                    "Skipping record {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return null;
        }
    }
}
