package dev.agentry.worker.execution;

import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.events.task.RunTask;
import dev.agentry.worker.config.SecretsProperties;
import dev.agentry.worker.runtime.McpServerConfig;
import dev.agentry.worker.runtime.UnsupportedTaskException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Opens the sealed secrets of a command with the key ring of {@code agentry.secrets.sealing-keys}. */
@Component
class Secrets {

    private final @Nullable SecretSealer sealer;

    Secrets(SecretsProperties properties) {
        String spec = properties.sealingKeys();
        this.sealer = spec == null || spec.isBlank() ? null : SecretSealer.fromSpec(spec);
    }

    /** @throws SecretUnavailableException when there is a secret and it cannot be opened here */
    @Nullable
    String open(@Nullable SealedSecret secret) {
        if (secret == null) {
            return null;
        }
        if (sealer == null) {
            throw new SecretUnavailableException("no sealing keys are configured on this worker");
        }
        return sealer.open(secret);
    }

    /**
     * The command's MCP servers with their sealed {@code NAME=value} environment entries opened.
     *
     * @throws UnsupportedTaskException when an entry is not {@code NAME=value}
     */
    List<McpServerConfig> mcpServers(RunTask task) {
        List<McpServerConfig> servers = new ArrayList<>();
        for (RunTask.McpServer server : task.mcpServers()) {
            Map<String, String> env = new LinkedHashMap<>();
            for (var sealed : server.env()) {
                String entry = open(sealed);
                int equals = entry == null ? -1 : entry.indexOf('=');
                if (equals <= 0) {
                    throw new UnsupportedTaskException(
                            "an environment entry of MCP server " + server.name() + " is not NAME=value");
                }
                env.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
            servers.add(new McpServerConfig(server.name(), server.command(), server.args(), env));
        }
        return servers;
    }
}
