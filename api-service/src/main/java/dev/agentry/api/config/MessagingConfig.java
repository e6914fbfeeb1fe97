package dev.agentry.api.config;

import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SecretSealer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

@Configuration(proxyBeanMethods = false)
class MessagingConfig {

    @Bean
    MessageCodec messageCodec() {
        return new MessageCodec();
    }

    @Bean
    SecretSealer secretSealer(SecretsProperties properties) {
        return SecretSealer.fromSpec(properties.sealingKeys());
    }

    /**
     * One partition by default: in Kafka 4.2 a share group spreads partitions over its members, so with as many
     * partitions as worker slots a busy slot's partition waits for it while other slots idle. One partition is
     * shared by every slot; the workers create it the same way (agentry.worker.command-partitions).
     */
    @Bean
    NewTopic taskCommandsTopic(@Value("${agentry.kafka.command-partitions:1}") int partitions) {
        return TopicBuilder.name(Topics.TASK_COMMANDS).partitions(partitions).build();
    }

    @Bean
    NewTopic taskEventsTopic(@Value("${agentry.kafka.partitions:8}") int partitions) {
        return TopicBuilder.name(Topics.TASK_EVENTS).partitions(partitions).build();
    }

    @Bean
    NewTopic taskControlTopic(@Value("${agentry.kafka.partitions:8}") int partitions) {
        return TopicBuilder.name(Topics.TASK_CONTROL).partitions(partitions).build();
    }

    /** Live entries matter only while they are news; streams read the past from PostgreSQL. */
    @Bean
    NewTopic taskStreamTopic(@Value("${agentry.kafka.partitions:8}") int partitions) {
        return TopicBuilder.name(Topics.TASK_STREAM)
                .partitions(partitions)
                .config("retention.ms", "3600000")
                .build();
    }

    /** One long-lived admin client for readiness checks; spring-kafka's KafkaAdmin opens one per call. */
    @Bean(destroyMethod = "close")
    Admin readinessAdmin(KafkaProperties kafka) {
        return Admin.create(readinessAdminConfig(kafka));
    }

    /** The broker connection as configured ({@code spring.kafka.*}: SASL, TLS), with a readiness check's timeouts. */
    static Map<String, Object> readinessAdminConfig(KafkaProperties kafka) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        return config;
    }
}
