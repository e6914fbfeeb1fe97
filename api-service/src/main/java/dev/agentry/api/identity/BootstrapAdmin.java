package dev.agentry.api.identity;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.tenant.Role;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.api.tenant.Tenants;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * With {@code agentry.api.bootstrap-admin-password} set, makes sure the bootstrap tenant has an admin user
 * ({@code agentry.api.bootstrap-admin-email}) who can sign in. An existing user keeps their password.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final ApiProperties properties;
    private final Tenants tenants;
    private final Users users;
    private final PasswordEncoder passwords;

    BootstrapAdmin(ApiProperties properties, Tenants tenants, Users users, PasswordEncoder passwords) {
        this.properties = properties;
        this.tenants = tenants;
        this.users = users;
        this.passwords = passwords;
    }

    @Override
    public void run(ApplicationArguments args) {
        String password = properties.bootstrapAdminPassword();
        if (password == null || password.isBlank()) {
            return;
        }
        TenantId tenant = new TenantId(properties.bootstrapTenant());
        tenants.create(tenant, tenant.value());
        String email = properties.bootstrapAdminEmail();
        if (users.byEmail(email).isPresent()) {
            return;
        }
        users.create(UUID.randomUUID(), tenant, email, "Administrator", Role.ADMIN, passwords.encode(password));
        log.info("The bootstrap admin {} is created for tenant {}.", email, tenant);
    }
}
