package dev.agentry.api.outbox;

import java.util.Set;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;

/** What became of one outbox row in a relay pass. */
sealed interface SendOutcome {

    /**
     * Failures that sending the same bytes again cannot cure: the record itself is wrong for this cluster. Anything
     * else (timeouts, a broker away, a leader moving, even an authorization error an operator can fix) is an
     * outage, and the row waits for it to end.
     */
    Set<Class<? extends KafkaException>> REFUSALS = Set.of(
            RecordTooLargeException.class,
            RecordBatchTooLargeException.class,
            InvalidTopicException.class,
            InvalidRecordException.class,
            SerializationException.class);

    /** Kafka acknowledged it. */
    record Sent() implements SendOutcome {}

    /** Kafka refused this record for good. */
    record Refused(Throwable cause) implements SendOutcome {}

    /** Kafka could not be reached or did not answer in time; the row is sent again later. */
    record Unreachable(Throwable cause) implements SendOutcome {}

    /** Not sent in this pass: an earlier row with the same key did not go out, and order per key matters. */
    record Held() implements SendOutcome {}

    /** Kafka's own exception may come wrapped (a future's, the template's), so the whole chain is looked at. */
    static SendOutcome ofFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (Class<? extends KafkaException> refusal : REFUSALS) {
                if (refusal.isInstance(cause)) {
                    return new Refused(cause);
                }
            }
        }
        return new Unreachable(failure);
    }
}
