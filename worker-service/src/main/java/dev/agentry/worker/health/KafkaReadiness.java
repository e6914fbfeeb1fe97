package dev.agentry.worker.health;

import dev.agentry.worker.queue.CommandQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the worker's Kafka side: the cluster answers (a real {@code describeCluster} round trip, bounded in
 * time) and every slot is consuming. Shown in {@code /ready} as {@code kafka}.
 */
@Component("kafka")
class KafkaReadiness implements HealthIndicator {

    private static final long TIMEOUT_MS = 3000;

    private final Admin admin;
    private final CommandQueue queue;

    KafkaReadiness(Admin admin, CommandQueue queue) {
        this.admin = admin;
        this.queue = queue;
    }

    @Override
    public Health health() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS))
                    .nodes()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .size();
            if (!queue.slotsAlive()) {
                return Health.down()
                        .withDetail("error", "command queue slots are not consuming")
                        .build();
            }
            return Health.up().withDetail("nodes", nodes).build();
        } catch (ExecutionException | TimeoutException e) {
            return Health.down()
                    .withDetail("error", "Kafka did not answer within " + TIMEOUT_MS + " ms: " + e.getMessage())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }
}
