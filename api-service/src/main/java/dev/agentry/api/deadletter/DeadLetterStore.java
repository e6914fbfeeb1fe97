package dev.agentry.api.deadletter;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.outbox.Outbox;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads the {@code dead_letters} table and replays a letter by putting its bytes back in the outbox. */
@Repository
class DeadLetterStore {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterStore.class);
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Outbox outbox;

    DeadLetterStore(JdbcClient jdbc, JsonMapper json, Outbox outbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.outbox = outbox;
    }

    /** A letter as an operator sees it: what, where from and why, but never the payload (it may carry secrets). */
    record DeadLetter(
            long id,
            String stage,
            @Nullable String tenantId,
            String topic,
            @Nullable String key,
            @Nullable String messageType,
            int sizeBytes,
            String reason,
            int attempts,
            String origin,
            Instant createdAt,
            @Nullable Instant replayedAt) {}

    private static final String COLUMNS = """
            id, stage, tenant_id, topic, msg_key, headers ->> 'agentry-type' as message_type,
            octet_length(payload) as size_bytes, reason, attempts, origin, created_at, replayed_at""";

    /** Newest first; {@code before} is the id the previous page ended at. */
    List<DeadLetter> list(@Nullable String stage, @Nullable Long before, boolean pendingOnly, int limit) {
        return jdbc.sql("select " + COLUMNS + """
                 from dead_letters
                where (cast(:stage as text) is null or stage = :stage)
                  and (cast(:before as bigint) is null or id < :before)
                  and (not :pending or replayed_at is null)
                order by id desc limit :limit""")
                .param("stage", stage)
                .param("before", before)
                .param("pending", pendingOnly)
                .param("limit", limit)
                .query(this::letter)
                .list();
    }

    Optional<DeadLetter> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from dead_letters where id = ?")
                .param(id)
                .query(this::letter)
                .optional();
    }

    /** Puts the letter's bytes back in the outbox, once; a second replay of the same letter is a conflict. */
    @Transactional
    DeadLetter replay(long id) {
        record Raw(
                String topic,
                @Nullable String key,
                byte[] payload,
                String headers,
                @Nullable Instant replayedAt) {}
        Raw raw = jdbc.sql("select topic, msg_key, payload, headers::text as headers, replayed_at from dead_letters"
                        + " where id = ? for update")
                .param(id)
                .query((rs, n) -> new Raw(
                        rs.getString("topic"),
                        rs.getString("msg_key"),
                        rs.getBytes("payload"),
                        rs.getString("headers"),
                        instant(rs.getTimestamp("replayed_at"))))
                .optional()
                .orElseThrow(() -> new NotFoundException("dead letter not found", "No dead letter " + id + "."));
        if (raw.replayedAt() != null) {
            throw new ConflictException("Dead letter " + id + " was replayed already, at " + raw.replayedAt() + ".");
        }
        outbox.appendRaw(
                raw.topic(), raw.key() == null ? "" : raw.key(), raw.payload(), json.readValue(raw.headers(), HEADERS));
        jdbc.sql("update dead_letters set replayed_at = now() where id = ?")
                .param(id)
                .update();
        log.info("Dead letter {} replayed to {}.", id, raw.topic());
        return find(id).orElseThrow();
    }

    private DeadLetter letter(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new DeadLetter(
                rs.getLong("id"),
                rs.getString("stage"),
                rs.getString("tenant_id"),
                rs.getString("topic"),
                rs.getString("msg_key"),
                rs.getString("message_type"),
                rs.getInt("size_bytes"),
                rs.getString("reason"),
                rs.getInt("attempts"),
                rs.getString("origin"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("replayed_at")));
    }

    private static @Nullable Instant instant(java.sql.@Nullable Timestamp at) {
        return at == null ? null : at.toInstant();
    }
}
