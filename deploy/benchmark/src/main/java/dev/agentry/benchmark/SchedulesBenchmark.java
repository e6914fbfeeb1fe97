package dev.agentry.benchmark;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.codec.UndecodableMessageException;
import dev.agentry.events.schedule.ScheduleFired;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The scheduler's firing loop under load: {@code conversations} conversations with the cron {@code * * * * *},
 * inserted straight into the API's {@code conversations} table (the base table of the scheduler's view: the API's
 * HTTP path creates schedules only through an LLM turn, which is not what is measured here), all showing the same
 * first run a little ahead. It then reads {@code agentry.schedule.firings} for {@code minutes} whole minutes and
 * reports, per firing of those minutes, the lag from its scheduled instant to the record's timestamp (the producer's,
 * taken when the scheduler sent it) and to receipt here, plus firings published twice and firings missed. The
 * conversations are deleted at the end, which also drops their cursors.
 */
final class SchedulesBenchmark {

    record Result(
            int conversations,
            int minutes,
            long expected,
            long received,
            long duplicates,
            long catchUps,
            Latencies.Summary toRecord,
            Latencies.Summary toReceipt,
            Map<Instant, Latencies.Summary> toRecordByMinute) {

        long missed() {
            return expected - received;
        }
    }

    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final String bootstrapServers;
    private final int conversations;
    private final int minutes;
    private final MessageCodec codec = new MessageCodec();
    private final String tenant =
            "bench-schedules-" + UUID.randomUUID().toString().substring(0, 8);
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong catchUps = new AtomicLong();

    SchedulesBenchmark(
            String jdbcUrl, String dbUser, String dbPassword, String bootstrapServers, int conversations, int minutes) {
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.bootstrapServers = bootstrapServers;
        this.conversations = conversations;
        this.minutes = minutes;
    }

    /** Reads the options of the {@code schedules} command, runs it and prints the result; the exit code. */
    static int run(Arguments options, Map<String, String> env, PrintStream out) throws IOException {
        var benchmark = new SchedulesBenchmark(
                options.string("jdbc-url", "jdbc:postgresql://localhost:5433/agentry"),
                options.string("db-user", "postgres"),
                options.string("db-password", ""),
                options.string("kafka", env.getOrDefault("AGENTRY_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")),
                options.integer("conversations", 10_000),
                options.integer("minutes", 3));
        options.rejectUnknown();
        Result result;
        try {
            result = benchmark.run(out);
        } catch (SQLException e) {
            throw new IOException("The platform's database refused: " + e.getMessage(), e);
        }
        out.printf(
                "%d conversations firing every minute, %d minutes measured: %d of %d firings received, %d missed,"
                        + " %d published twice, %d flagged catch-up%n",
                result.conversations(),
                result.minutes(),
                result.received(),
                result.expected(),
                result.missed(),
                result.duplicates(),
                result.catchUps());
        out.println(
                "scheduled instant to record timestamp: " + result.toRecord().describe());
        out.println(
                "scheduled instant to receipt here:     " + result.toReceipt().describe());
        // The first minute also holds the scheduler's first look at all the new schedules (their cursors).
        result.toRecordByMinute()
                .forEach((minute, lag) -> out.println("  firings of " + minute + " to record: " + lag.describe()));
        return result.missed() == 0 && result.duplicates() == 0 ? 0 : 1;
    }

    Result run(PrintStream progress) throws SQLException {
        long capacity = (long) conversations * minutes;
        var toRecord = new Latencies((int) capacity);
        var toReceipt = new Latencies((int) capacity);
        Map<Instant, Latencies> byMinute = new java.util.TreeMap<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword);
                KafkaConsumer<String, byte[]> consumer = consumer()) {
            // Whole minutes only, far enough ahead for the inserts and the scheduler's sync.
            Instant first = Instant.now()
                    .plusSeconds(20)
                    .truncatedTo(ChronoUnit.MINUTES)
                    .plus(Duration.ofMinutes(1));
            Instant last = first.plus(Duration.ofMinutes(minutes - 1L));
            progress.printf(
                    "Inserting %d conversations (tenant %s) firing every minute from %s...%n",
                    conversations, tenant, first);
            insert(db, first);
            progress.printf("Reading agentry.schedule.firings until the firings of %s are in...%n", last);
            Instant stop = last.plusSeconds(50);
            while (Instant.now().isBefore(stop) && received.get() < capacity) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    take(record, first, last, toRecord, toReceipt, byMinute);
                }
            }
            delete(db);
            return new Result(
                    conversations,
                    minutes,
                    capacity,
                    received.get(),
                    duplicates.get(),
                    catchUps.get(),
                    toRecord.summary(),
                    toReceipt.summary(),
                    summaries(byMinute));
        }
    }

    private void take(
            ConsumerRecord<String, byte[]> record,
            Instant first,
            Instant last,
            Latencies toRecord,
            Latencies toReceipt,
            Map<Instant, Latencies> byMinute) {
        long receivedAt = System.currentTimeMillis();
        Envelope<?> envelope;
        try {
            envelope = codec.decode(record.value());
        } catch (UndecodableMessageException e) {
            return;
        }
        if (!tenant.equals(envelope.tenantId()) || !(envelope.payload() instanceof ScheduleFired fired)) {
            return;
        }
        if (!seen.add(envelope.aggregateId() + "@" + fired.fireTime())) {
            duplicates.incrementAndGet();
            return;
        }
        if (fired.fireTime().isBefore(first) || fired.fireTime().isAfter(last)) {
            return;
        }
        received.incrementAndGet();
        if (fired.catchUp()) {
            catchUps.incrementAndGet();
        }
        long scheduled = fired.fireTime().toEpochMilli();
        toRecord.record(Duration.ofMillis(record.timestamp() - scheduled).toNanos());
        byMinute.computeIfAbsent(fired.fireTime(), minute -> new Latencies(conversations))
                .record(Duration.ofMillis(record.timestamp() - scheduled).toNanos());
        toReceipt.record(Duration.ofMillis(receivedAt - scheduled).toNanos());
    }

    private static Map<Instant, Latencies.Summary> summaries(Map<Instant, Latencies> byMinute) {
        Map<Instant, Latencies.Summary> summaries = new java.util.TreeMap<>();
        byMinute.forEach((minute, lag) -> summaries.put(minute, lag.summary()));
        return summaries;
    }

    private void insert(Connection db, Instant first) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (PreparedStatement tenantRow = db.prepareStatement("insert into tenants (id, name) values (?, ?)")) {
            tenantRow.setString(1, tenant);
            tenantRow.setString(2, "Schedules benchmark");
            tenantRow.executeUpdate();
        }
        db.setAutoCommit(false);
        try (PreparedStatement row = db.prepareStatement("""
                insert into conversations (id, tenant_id, user_id, title, status, schedule_type, cron_expression,
                                           timezone, schedule_task, schedule_version, next_run_at, created_at,
                                           updated_at)
                values (?, ?, 'benchmark', 'Schedules benchmark', 'background', 'cron', '* * * * *', 'UTC',
                        'benchmark', 1, ?, ?, ?)""")) {
            for (int i = 0; i < conversations; i++) {
                row.setObject(1, UUID.randomUUID());
                row.setString(2, tenant);
                row.setObject(3, first.atOffset(ZoneOffset.UTC));
                row.setObject(4, now);
                row.setObject(5, now);
                row.addBatch();
                if (i % 1000 == 999) {
                    row.executeBatch();
                }
            }
            row.executeBatch();
        }
        db.commit();
        db.setAutoCommit(true);
    }

    private void delete(Connection db) throws SQLException {
        try (PreparedStatement rows = db.prepareStatement("delete from conversations where tenant_id = ?");
                PreparedStatement tenantRow = db.prepareStatement("delete from tenants where id = ?")) {
            rows.setString(1, tenant);
            rows.executeUpdate();
            tenantRow.setString(1, tenant);
            tenantRow.executeUpdate();
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        var consumer = new KafkaConsumer<String, byte[]>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "agentry-benchmark-schedules",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        // Receipt is measured too: do not let the broker hold fetches back.
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        5),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(Topics.SCHEDULE_FIRINGS, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(
                    "Topic " + Topics.SCHEDULE_FIRINGS + " does not exist on " + bootstrapServers);
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
