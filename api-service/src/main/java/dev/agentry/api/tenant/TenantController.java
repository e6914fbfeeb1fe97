package dev.agentry.api.tenant;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Platform administration: tenants. Only a platform operator's token reaches it (see {@link SecurityConfig}); it
 * then creates the tenant's first users and tokens by sending {@code X-Tenant-ID} to the users and tokens API.
 */
@RestController
@RequestMapping(path = "/api/v1/admin/tenants", produces = MediaType.APPLICATION_JSON_VALUE)
class TenantController {

    private static final Logger log = LoggerFactory.getLogger(TenantController.class);
    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");

    private final Tenants tenants;

    TenantController(Tenants tenants) {
        this.tenants = tenants;
    }

    record CreateTenant(@Nullable String id, @Nullable String name) {}

    record TenantList(List<Tenants.Tenant> tenants) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> create(
            Caller caller, @RequestBody(required = false) @Nullable CreateTenant body) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (body == null || body.id() == null || !ID.matcher(body.id()).matches()) {
            errors.put("id", "must be 1-63 lowercase letters, digits, '-' or '_'");
        }
        String name = body == null || body.name() == null || body.name().isBlank()
                ? null
                : body.name().strip();
        if (name != null && name.length() > 200) {
            errors.put("name", "must be at most 200 characters");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        TenantId id = new TenantId(body.id());
        if (!tenants.create(id, name == null ? id.value() : name)) {
            throw new ConflictException("A tenant with id " + id + " exists already.");
        }
        log.info("Tenant {} created by operator {}.", id, caller.subject());
        return ResponseEntity.created(URI.create("/api/v1/admin/tenants/" + id))
                .body(Map.of("id", id.value(), "name", name == null ? id.value() : name));
    }

    @GetMapping
    TenantList list() {
        return new TenantList(tenants.list());
    }
}
