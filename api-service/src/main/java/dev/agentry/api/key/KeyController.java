package dev.agentry.api.key;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.TenantId;
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
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Seed 004's keys: register (201, 409 on a duplicate name), list (tokens never shown), delete. */
@RestController
@RequestMapping(path = "/api/v1/keys", produces = MediaType.APPLICATION_JSON_VALUE)
class KeyController {

    private static final Logger log = LoggerFactory.getLogger(KeyController.class);
    static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern PROVIDER = Pattern.compile("^[a-z][a-z0-9_-]{0,31}$");
    private static final int MAX_TOKEN = 8192;

    private final ProviderKeys keys;

    KeyController(ProviderKeys keys) {
        this.keys = keys;
    }

    record RegisterKey(
            @Nullable String name,
            @Nullable String provider,
            @Nullable String token,
            @Nullable String scope) {}

    record KeyList(List<ProviderKeys.Key> keys) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> register(
            Caller caller, @RequestBody(required = false) @Nullable RegisterKey body) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = body == null ? null : body.name();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.put("name", "must be 1-64 letters, digits, '.', '-' or '_'");
        }
        String provider = body == null ? null : body.provider();
        if (provider == null || !PROVIDER.matcher(provider).matches()) {
            errors.put("provider", "must be a provider name such as github or gitlab");
        }
        String token = body == null ? null : body.token();
        if (token == null || token.isBlank()) {
            errors.put("token", "is required");
        } else if (token.length() > MAX_TOKEN) {
            errors.put("token", "must be at most " + MAX_TOKEN + " characters");
        }
        String scope = body == null ? null : body.scope();
        if (scope != null && scope.length() > 200) {
            errors.put("scope", "must be at most 200 characters");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (!keys.register(caller.tenant(), name, provider, scope, token)) {
            throw new ConflictException("A key named " + name + " exists already.");
        }
        log.info("Key {} ({}) registered for tenant {} by {}.", name, provider, caller.tenant(), caller.subject());
        return ResponseEntity.created(URI.create("/api/v1/keys/" + name))
                .body(Map.of("name", name, "provider", provider, "message", "Key registered."));
    }

    @GetMapping
    KeyList list(TenantId tenant) {
        return new KeyList(keys.list(tenant));
    }

    @DeleteMapping("/{name}")
    Map<String, String> delete(Caller caller, @PathVariable String name) {
        if (!keys.delete(caller.tenant(), name)) {
            throw new NotFoundException("key not found", "No key named " + name + ".");
        }
        log.info("Key {} of tenant {} deleted by {}.", name, caller.tenant(), caller.subject());
        return Map.of("message", "Key deleted.");
    }
}
