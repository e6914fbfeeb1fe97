package dev.agentry.api.outbox;

import java.util.Map;

/** One outbox row as the relay reads it; {@code attempts} counts earlier sends that Kafka refused for good. */
record OutboxRow(long id, String topic, String key, byte[] payload, Map<String, String> headers, int attempts) {}
