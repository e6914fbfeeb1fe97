package dev.agentry.worker.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

/**
 * The envelope ids of the commands this worker took lately, each with the record it came in. A second record with
 * an id already taken is a copy (the outbox relay sent a row again after a crash between send and delete, a batch
 * was re-sent) and is accepted without running; the same record delivered again (same partition and offset, a
 * higher delivery count: its worker died, or it was released) is a real redelivery and runs.
 *
 * <p>Per worker and bounded (the oldest ids are forgotten first): a copy that reaches another worker is not caught
 * here. The projector still never lets it change a terminal iteration.
 */
@Component
class SeenCommands {

    private static final int CAPACITY = 50_000;

    private final Map<String, String> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };
    private final MeterRegistry meters;

    SeenCommands(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Records the command; answers whether it is a copy of one taken from another record, not to be run. */
    synchronized boolean isCopy(String messageId, ConsumerRecord<String, byte[]> record) {
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        String first = seen.putIfAbsent(messageId, where);
        if (first == null || first.equals(where)) {
            return false;
        }
        Counter.builder("agentry.worker.duplicates")
                .description("Commands skipped because another record with the same envelope id was taken")
                .tag("topic", record.topic())
                .register(meters)
                .increment();
        return true;
    }
}
