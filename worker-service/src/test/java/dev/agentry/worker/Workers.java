package dev.agentry.worker;

import dev.agentry.events.secret.SecretSealer;
import dev.agentry.testkit.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts real workers against the test broker, in this JVM or in a JVM of their own. */
final class Workers {

    /** One key ring for the whole test JVM, so commands sealed by a test open in every worker. */
    static final String SEALING_KEYS = SecretSealer.newSpec("k1");

    static final SecretSealer SEALER = SecretSealer.fromSpec(SEALING_KEYS);

    /** The share group's acquisition lock in these tests: short, so that renewal is exercised. */
    static final java.time.Duration LOCK_DURATION = java.time.Duration.ofSeconds(2);

    private Workers() {}

    /**
     * The test configuration: two slots, a 2 s acquisition lock so renewal is exercised, local repositories and loopback remotes allowed,
     * a command runtime that runs its prompt with {@code sh -c}. Every worker in the test JVM shares one share group,
     * so every worker must be configured alike (the tests close their workers when done).
     */
    static Map<String, String> properties(String workerId) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("server.port", "0");
        properties.put("agentry.worker.worker-id", workerId);
        properties.put("agentry.worker.concurrency", "2");
        properties.put("agentry.worker.lock-duration", LOCK_DURATION.toSeconds() + "s");
        properties.put("agentry.worker.heartbeat-interval", "500ms");
        properties.put("agentry.worker.kill-grace-period", "1s");
        properties.put("agentry.worker.allow-local-repos", "true");
        // The test remotes (the smart-HTTP stand-ins) listen on loopback, which clones may reach only when allowed.
        properties.put("agentry.worker.repository-allowed-networks[0]", "127.0.0.0/8");
        properties.put("agentry.worker.repository-allowed-networks[1]", "::1/128");
        properties.put(
                "agentry.worker.workspace-root",
                tempDir("agentry-ws-" + workerId).toString());
        properties.put("agentry.worker.command.argv[0]", "sh");
        properties.put("agentry.worker.command.argv[1]", "-c");
        properties.put("agentry.worker.command.argv[2]", "{prompt}");
        properties.put("agentry.secrets.sealing-keys", SEALING_KEYS);
        // One conversation slot: tests that send conversation turns script one model reply after another.
        properties.put("agentry.worker.llm.concurrency", "1");
        return properties;
    }

    /**
     * A worker whose agent processes share the test's view of the machine, for the tests of redelivery whose runs
     * leave a marker outside their workspace for the next run to find; isolation itself is {@code SandboxedRunTest}'s.
     */
    static Map<String, String> unconfined(String workerId) {
        Map<String, String> properties = properties(workerId);
        properties.put("agentry.worker.sandbox", "none");
        return properties;
    }

    static ConfigurableApplicationContext start(Map<String, String> properties) {
        return WorkerApplication.builder().run(arguments(properties));
    }

    static ConfigurableApplicationContext start(String workerId) {
        return start(properties(workerId));
    }

    /** A worker in a JVM of its own, as it runs in production, for tests that kill it. */
    static Process startJvm(Map<String, String> properties, Path log) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WorkerApplication.class.getName()));
        command.addAll(List.of(arguments(properties)));
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] arguments(Map<String, String> properties) {
        return properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
    }
}
