package dev.agentry.scheduler.kafka;

import dev.agentry.events.codec.MessageCodec;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    /**
     * Forces what the wire contract needs, whatever {@code spring.kafka.producer.*} says: String keys (the task id),
     * {@link MessageCodec} bytes as values, and a producer that neither loses nor duplicates on retry.
     */
    @Bean
    DefaultKafkaProducerFactoryCustomizer taskEventProducerSettings() {
        return factory -> factory.updateConfigs(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true));
    }

    @Bean
    MessageCodec messageCodec() {
        return new MessageCodec();
    }
}
