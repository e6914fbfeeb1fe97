package dev.agentry.api.outbox;

import dev.agentry.events.Envelope;
import dev.agentry.events.Headers;
import dev.agentry.events.codec.MessageCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The write side of the transactional outbox: a message appended here commits or rolls back with the caller's
 * transaction, and the {@link OutboxRelay} publishes it to Kafka after the commit.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final MessageCodec codec;
    private final JsonMapper json;
    private final OutboxRelay relay;

    Outbox(JdbcClient jdbc, MessageCodec codec, JsonMapper json, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.json = json;
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
        jdbc.sql("insert into outbox (topic, msg_key, payload, headers) values (?, ?, ?, cast(? as jsonb))")
                .params(topic, envelope.key(), codec.encode(envelope), json.writeValueAsString(headers))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }
}
