package dev.agentry.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/** The readiness admin connects as every Spring-managed client does: a SASL-only listener would refuse it otherwise. */
class KafkaClientSettingsTest {

    @Test
    void theReadinessAdminCarriesTheConfiguredSecurity() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("127.0.0.1:9093"));
        kafka.getProperties().put("security.protocol", "SASL_PLAINTEXT");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");

        Map<String, Object> config = MessagingConfig.readinessAdminConfig(kafka);

        assertThat(config)
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("request.timeout.ms", 3000)
                .containsEntry("default.api.timeout.ms", 3000);
        assertThat(config.get("bootstrap.servers")).asString().contains("127.0.0.1:9093");
    }
}
