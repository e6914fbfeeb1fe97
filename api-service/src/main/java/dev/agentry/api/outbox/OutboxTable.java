package dev.agentry.api.outbox;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The one statement that adds a row to the outbox, shared by the write side and the relay. */
@Component
class OutboxTable {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    OutboxTable(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(String topic, String key, byte[] payload, Map<String, String> headers) {
        jdbc.sql("insert into outbox (topic, msg_key, payload, headers) values (?, ?, ?, cast(? as jsonb))")
                .params(topic, key, payload, json.writeValueAsString(headers))
                .update();
    }
}
