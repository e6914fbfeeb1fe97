package dev.agentry.api.outbox;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.codec.MessageCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The write side of the transactional outbox: a message appended here commits or rolls back with the caller's
 * transaction, and the {@link OutboxRelay} publishes it to Kafka after the commit.
 */
@Component
public class Outbox {

    private final OutboxTable table;
    private final MessageCodec codec;
    private final OutboxRelay relay;

    Outbox(OutboxTable table, MessageCodec codec, OutboxRelay relay) {
        this.table = table;
        this.codec = codec;
        this.relay = relay;
    }

    /**
     * @param traceHeaders trace context of the request ({@code traceparent}), carried onto the Kafka record
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(String topic, Envelope<?> envelope, Map<String, String> traceHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(traceHeaders);
        headers.put(Headers.MESSAGE_ID, envelope.id().toString());
        headers.put(Headers.MESSAGE_TYPE, envelope.type());
        appendRaw(topic, envelope.key(), codec.encode(envelope), headers);
    }

    /**
     * Appends bytes that were encoded before, such as a dead letter an operator replays: the wire bytes are the
     * contract, so they go out as they were.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendRaw(String topic, String key, byte[] payload, Map<String, String> headers) {
        table.insert(topic, key, payload, headers);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
