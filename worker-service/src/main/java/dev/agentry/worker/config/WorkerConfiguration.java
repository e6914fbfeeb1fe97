package dev.agentry.worker.config;

import dev.agentry.events.codec.MessageCodec;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The Kafka clients of a worker, built from {@code spring.kafka.*} with what the worker insists on. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({WorkerProperties.class, SecretsProperties.class})
class WorkerConfiguration {

    @Bean
    MessageCodec messageCodec() {
        return new MessageCodec();
    }

    @Bean
    ProducerFactory<String, byte[]> taskEventProducerFactory(KafkaProperties kafka, WorkerProperties worker) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        // Events are the only record of what a task did: never duplicated, never lost on a broker failover.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.CLIENT_ID_CONFIG, worker.workerId() + "-events");
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean
    KafkaTemplate<String, byte[]> taskEventTemplate(ProducerFactory<String, byte[]> taskEventProducerFactory) {
        return new KafkaTemplate<>(taskEventProducerFactory);
    }

    @Bean(destroyMethod = "close")
    Admin kafkaAdminClient(KafkaProperties kafka, WorkerProperties worker) {
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        config.put("client.id", worker.workerId() + "-admin");
        return Admin.create(config);
    }
}
