package dev.agentry.scheduler.health;

import dev.agentry.scheduler.SchedulerProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Kafka is up when the cluster answers a metadata request within the configured timeout. Spring Boot ships no Kafka
 * health indicator, so this one asks the cluster for its id and broker count. Shown as {@code kafka} in
 * {@code /health} and {@code /ready}.
 */
@Component("kafkaHealthIndicator")
class KafkaHealthIndicator implements HealthIndicator, DisposableBean {

    private final Admin admin;
    private final Duration timeout;

    @Autowired
    KafkaHealthIndicator(KafkaAdmin kafkaAdmin, SchedulerProperties properties) {
        this(kafkaAdmin.getConfigurationProperties(), properties.health().kafkaTimeout());
    }

    KafkaHealthIndicator(Map<String, Object> adminConfig, Duration timeout) {
        this.timeout = timeout;
        Map<String, Object> config = new HashMap<>(adminConfig);
        int millis = Math.toIntExact(timeout.toMillis());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        // Its own client id, so its JMX metrics do not collide with KafkaAdmin's client of the same settings.
        Object clientId = config.get(AdminClientConfig.CLIENT_ID_CONFIG);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, (clientId == null ? "agentry-scheduler" : clientId) + "-health");
        this.admin = Admin.create(config);
    }

    @Override
    public Health health() {
        DescribeClusterResult cluster =
                admin.describeCluster(new DescribeClusterOptions().timeoutMs(Math.toIntExact(timeout.toMillis())));
        try {
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            return Health.up()
                    .withDetail("clusterId", clusterId)
                    .withDetail("brokers", brokers)
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted while asking Kafka for its cluster id");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return down("Kafka did not answer: " + cause.getMessage());
        } catch (TimeoutException e) {
            return down("Kafka did not answer within " + timeout.toMillis() + " ms");
        }
    }

    private static Health down(String error) {
        return Health.down().withDetail("error", error).build();
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
