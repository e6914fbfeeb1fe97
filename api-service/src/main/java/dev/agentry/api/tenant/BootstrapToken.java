package dev.agentry.api.tenant;

import dev.agentry.api.config.ApiProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Registers {@code agentry.api.bootstrap-token} for the bootstrap tenant as an admin and platform-operator token,
 * so a fresh platform is usable and can create further tenants, users and tokens.
 */
@Component
class BootstrapToken implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);

    private final ApiProperties properties;
    private final ApiTokens tokens;

    BootstrapToken(ApiProperties properties, ApiTokens tokens) {
        this.properties = properties;
        this.tokens = tokens;
    }

    @Override
    public void run(ApplicationArguments args) {
        String token = properties.bootstrapToken();
        if (token != null && !token.isBlank()) {
            tokens.ensure(new TenantId(properties.bootstrapTenant()), "bootstrap", token, true);
            log.info(
                    "The bootstrap token is registered for tenant {} as a platform operator.",
                    properties.bootstrapTenant());
        }
    }
}
