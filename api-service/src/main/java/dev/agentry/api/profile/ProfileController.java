package dev.agentry.api.profile;

import dev.agentry.api.tenant.TenantId;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 002's profiles (as the source project's later {@code /api/v1/profiles}), per tenant, snake_case; a built-in
 * profile shows {@code built_in: true} and no timestamps.
 */
@RestController
@RequestMapping(path = "/api/v1/profiles", produces = MediaType.APPLICATION_JSON_VALUE)
class ProfileController {

    private final MissionProfiles profiles;

    ProfileController(MissionProfiles profiles) {
        this.profiles = profiles;
    }

    @GetMapping
    List<Profile> list(TenantId tenant) {
        return profiles.list(tenant);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Profile create(TenantId tenant, @RequestBody(required = false) @Nullable ProfileRequest body) {
        return profiles.create(tenant, body);
    }

    @GetMapping("/{name}")
    Profile get(TenantId tenant, @PathVariable String name) {
        return profiles.get(tenant, name);
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Profile replace(
            TenantId tenant, @PathVariable String name, @RequestBody(required = false) @Nullable ProfileRequest body) {
        return profiles.replace(tenant, name, body);
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(TenantId tenant, @PathVariable String name) {
        profiles.delete(tenant, name);
    }
}
