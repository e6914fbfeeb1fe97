package dev.agentry.worker.execution;

import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.worker.config.SecretsProperties;
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
}
