package dev.agentry.api.profile;

import dev.agentry.api.tenant.TenantId;
import java.time.Instant;
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

/** Seed 002's profiles (as the source project's later {@code /api/v1/profiles}), per tenant, snake_case. */
@RestController
@RequestMapping(path = "/api/v1/profiles", produces = MediaType.APPLICATION_JSON_VALUE)
class ProfileController {

    private final MissionProfiles profiles;

    ProfileController(MissionProfiles profiles) {
        this.profiles = profiles;
    }

    /** A profile on the wire; {@code created_at} and {@code updated_at} are absent for a built-in one. */
    record ProfileView(
            String name,
            @Nullable String description,
            String runtime,
            @Nullable String model,
            @Nullable String systemPrompt,
            List<String> allowedTools,
            @Nullable Integer maxTurns,
            int timeoutSeconds,
            @Nullable String repositoryUrl,
            boolean builtIn,
            @Nullable Instant createdAt,
            @Nullable Instant updatedAt) {

        static ProfileView of(Profile p) {
            return new ProfileView(
                    p.name(),
                    p.description(),
                    p.runtime(),
                    p.model(),
                    p.systemPrompt(),
                    p.allowedTools(),
                    p.maxTurns(),
                    p.timeoutSeconds(),
                    p.repositoryUrl(),
                    p.builtIn(),
                    p.createdAt(),
                    p.updatedAt());
        }
    }

    @GetMapping
    List<ProfileView> list(TenantId tenant) {
        return profiles.list(tenant).stream().map(ProfileView::of).toList();
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    ProfileView create(TenantId tenant, @RequestBody(required = false) @Nullable ProfileRequest body) {
        return ProfileView.of(profiles.create(tenant, body));
    }

    @GetMapping("/{name}")
    ProfileView get(TenantId tenant, @PathVariable String name) {
        return ProfileView.of(profiles.get(tenant, name));
    }

    @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ProfileView replace(
            TenantId tenant, @PathVariable String name, @RequestBody(required = false) @Nullable ProfileRequest body) {
        return ProfileView.of(profiles.replace(tenant, name, body));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(TenantId tenant, @PathVariable String name) {
        profiles.delete(tenant, name);
    }
}
