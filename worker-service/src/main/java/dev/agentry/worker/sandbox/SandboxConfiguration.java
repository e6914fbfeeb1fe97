package dev.agentry.worker.sandbox;

import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the worker's sandbox at startup, and proves it works before the first task: a worker configured for
 * bubblewrap that cannot run it (not installed, user namespaces disabled) refuses to start with a message saying
 * what to do, rather than running agents unconfined.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SandboxProperties.class)
class SandboxConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SandboxConfiguration.class);

    @Bean
    Sandbox sandbox(SandboxProperties properties) {
        String kind = properties.sandbox().strip().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "none" -> {
                return unconfined("agentry.worker.sandbox=none");
            }
            case "bubblewrap", "auto" -> {
                Optional<String> problem = Optional.empty();
                Optional<Path> bwrap = Executables.find(properties.sandboxBwrap());
                if (bwrap.isEmpty()) {
                    problem = Optional.of("bubblewrap (" + properties.sandboxBwrap() + ") is not installed");
                } else {
                    BubblewrapSandbox sandbox = new BubblewrapSandbox(bwrap.get(), properties.sandboxReadOnlyPaths());
                    problem = probe(sandbox);
                    if (problem.isEmpty()) {
                        log.info("Agent processes run in a bubblewrap sandbox ({}).", bwrap.get());
                        return sandbox;
                    }
                }
                if (kind.equals("auto")) {
                    return unconfined("agentry.worker.sandbox=auto and " + problem.get());
                }
                throw new IllegalStateException("The worker runs agents in a bubblewrap sandbox, but "
                        + problem.get()
                        + ". Install it (Debian/Ubuntu: apt-get install bubblewrap) and allow user namespaces, or"
                        + " set agentry.worker.sandbox=none to run agents unconfined (never on a shared worker).");
            }
            default ->
                throw new IllegalStateException(
                        "agentry.worker.sandbox must be bubblewrap, auto or none, not " + properties.sandbox());
        }
    }

    private static Sandbox unconfined(String why) {
        log.warn(
                "!!! Agent processes run WITHOUT a sandbox ({}): every task's agent sees this worker's files, other"
                        + " tasks' workspaces and this machine's network. Do not run tasks of more than one tenant"
                        + " on this worker. !!!",
                why);
        return new UnconfinedSandbox();
    }

    /** Runs {@code true} in the sandbox once: the namespaces bubblewrap needs may be refused on this machine. */
    private static Optional<String> probe(BubblewrapSandbox sandbox) {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        ProcessScope scope = new ProcessScope(Duration.ofSeconds(30), Duration.ofSeconds(1));
        try {
            ProcessResult result = scope.run(
                    sandbox.confine(new ProcessSpec(List.of("true"), dir, Map.of(), true), SandboxView.NOTHING),
                    line -> {});
            return result.succeeded()
                    ? Optional.empty()
                    : Optional.of("bubblewrap cannot create a sandbox here: " + result.errorTail());
        } catch (RuntimeException e) {
            return Optional.of("bubblewrap cannot be started: " + e.getMessage());
        }
    }
}
