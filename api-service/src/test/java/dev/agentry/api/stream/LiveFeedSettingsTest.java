package dev.agentry.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/** The live feed connects with the configured security, yet stays outside any consumer group. */
class LiveFeedSettingsTest {

    @Test
    void theLiveFeedCarriesTheConfiguredSecurityButNoGroup() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("127.0.0.1:9093"));
        kafka.getProperties().put("security.protocol", "SASL_SSL");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-256");
        kafka.getConsumer().setGroupId("agentry-api");
        kafka.getConsumer().setAutoOffsetReset("earliest");

        Map<String, Object> config = LiveFeedConsumer.config(kafka);

        assertThat(config)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("auto.offset.reset", "latest")
                .containsEntry("enable.auto.commit", false)
                .doesNotContainKey("group.id");
        assertThat(config.get("bootstrap.servers")).asString().contains("127.0.0.1:9093");
    }
}
