package dev.agentry.api.system;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Liveness and readiness in the seeds' shapes. Readiness really asks PostgreSQL and Kafka, each with a short
 * bound, and names the part that fails.
 */
@RestController
class HealthController {

    private static final Logger log = LoggerFactory.getLogger(HealthController.class);

    private final JdbcClient jdbc;
    private final Admin kafka;
    private final String version;

    HealthController(JdbcClient jdbc, Admin readinessAdmin, ObjectProvider<BuildProperties> build) {
        this.jdbc = jdbc;
        this.kafka = readinessAdmin;
        BuildProperties properties = build.getIfAvailable();
        this.version = properties == null ? "dev" : properties.getVersion();
    }

    @GetMapping("/health")
    Map<String, Object> health() {
        return Map.of("status", "ok", "version", version);
    }

    @GetMapping({"/ready", "/health/ready"})
    ResponseEntity<Map<String, Object>> ready() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put(
                "postgres",
                check(() -> jdbc.sql("select 1").query(Integer.class).single()));
        checks.put("kafka", check(() -> kafka.describeCluster().nodes().get(3, TimeUnit.SECONDS)));
        boolean ready = checks.values().stream().allMatch("up"::equals);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", ready);
        body.put("checks", checks);
        if (!ready) {
            String failing = String.join(
                    ", ",
                    checks.entrySet().stream()
                            .filter(e -> !e.getValue().equals("up"))
                            .map(Map.Entry::getKey)
                            .toList());
            body.put("error", failing + " unavailable");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
        }
        return ResponseEntity.ok(body);
    }

    private interface Check {
        void run() throws Exception;
    }

    private static String check(Check check) {
        try {
            check.run();
            return "up";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "down: interrupted";
        } catch (Exception e) {
            log.warn("Readiness check failed: {}", e.toString());
            return "down: " + e.getClass().getSimpleName();
        }
    }
}
