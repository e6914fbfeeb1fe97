package dev.agentry.api.profile;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.task.MissionTasks;
import dev.agentry.api.tenant.TenantId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * A tenant's mission profiles, the built-in ones first. A built-in name is reserved: a tenant cannot create,
 * change or delete {@code dev}. Sessions copy what they need from a profile when their first mission starts, so
 * changing or deleting a profile never changes a session already under way.
 */
@Service
public class MissionProfiles {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_.:*()/ -]{1,200}");
    private static final int MAX_TEXT = 32_000;
    private static final Map<String, Profile> BUILT_IN = Map.of("dev", Profile.dev());

    private final Profiles profiles;
    private final ApiProperties properties;
    private final MissionTasks missions;

    MissionProfiles(Profiles profiles, ApiProperties properties, MissionTasks missions) {
        this.profiles = profiles;
        this.properties = properties;
        this.missions = missions;
    }

    /** The profile of that name, or 404 {@code Profile not found: <name>}. */
    public Profile get(TenantId tenant, String name) {
        Profile builtIn = BUILT_IN.get(name);
        if (builtIn != null) {
            return builtIn;
        }
        return profiles.find(tenant, name).orElseThrow(() -> notFound(name));
    }

    List<Profile> list(TenantId tenant) {
        List<Profile> all = new ArrayList<>(BUILT_IN.values());
        all.addAll(profiles.all(tenant));
        return all;
    }

    Profile create(TenantId tenant, @Nullable ProfileRequest request) {
        Profile profile = validate(request, null);
        if (BUILT_IN.containsKey(profile.name()) || !profiles.insert(tenant, profile)) {
            throw new ConflictException("Profile already exists: " + profile.name());
        }
        return profile;
    }

    Profile replace(TenantId tenant, String name, @Nullable ProfileRequest request) {
        if (BUILT_IN.containsKey(name)) {
            throw new ConflictException("Profile " + name + " is built in and cannot be changed.");
        }
        Profile existing = profiles.find(tenant, name).orElseThrow(() -> notFound(name));
        Profile profile = validate(request, name);
        Profile updated = new Profile(
                name,
                profile.description(),
                profile.runtime(),
                profile.model(),
                profile.systemPrompt(),
                profile.allowedTools(),
                profile.maxTurns(),
                profile.timeoutSeconds(),
                profile.repositoryUrl(),
                false,
                existing.createdAt(),
                profile.updatedAt());
        if (!profiles.update(tenant, updated)) {
            throw notFound(name);
        }
        return updated;
    }

    void delete(TenantId tenant, String name) {
        if (BUILT_IN.containsKey(name)) {
            throw new ConflictException("Profile " + name + " is built in and cannot be deleted.");
        }
        if (!profiles.delete(tenant, name)) {
            throw notFound(name);
        }
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("profile not found", "Profile not found: " + name);
    }

    /** Checks every member and names each one at fault; {@code pathName} is the name a PUT's path gives. */
    private Profile validate(@Nullable ProfileRequest request, @Nullable String pathName) {
        if (request == null) {
            throw InvalidRequestException.field("body", "is required");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String name = pathName != null ? pathName : request.name();
        if (pathName != null && request.name() != null && !request.name().equals(pathName)) {
            errors.put("name", "must match the name in the path (" + pathName + ")");
        } else if (name == null || name.isBlank()) {
            errors.put("name", "is required");
        } else if (!NAME.matcher(name).matches()) {
            errors.put(
                    "name",
                    "must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter"
                            + " or digit");
        }
        String runtime = request.runtime() == null ? "claude-code" : request.runtime();
        if (!properties.runtimes().contains(runtime)) {
            errors.put("runtime", "must be one of " + String.join(", ", properties.runtimes()));
        }
        text("description", request.description(), 1000, errors);
        text("model", request.model(), 200, errors);
        text("system_prompt", request.systemPrompt(), MAX_TEXT, errors);
        List<String> tools = new ArrayList<>();
        if (request.allowedTools() != null) {
            for (String tool : request.allowedTools()) {
                if (tool == null || !TOOL.matcher(tool).matches() || tool.isBlank()) {
                    errors.put("allowed_tools", "must be tool names such as Bash, Read or Bash(git:*)");
                    break;
                }
                tools.add(tool.strip());
            }
        }
        if (request.maxTurns() != null && (request.maxTurns() < 1 || request.maxTurns() > 1000)) {
            errors.put("max_turns", "must be between 1 and 1000");
        }
        long maxTimeout = properties.maxTimeout().toSeconds();
        int timeout = request.timeoutSeconds() == null
                ? (int) properties.defaultTimeout().toSeconds()
                : request.timeoutSeconds();
        if (timeout < 1 || timeout > maxTimeout) {
            errors.put("timeout_seconds", "must be between 1 and " + maxTimeout);
        }
        String repository = blankToNull(request.repositoryUrl());
        if (repository != null) {
            Optional<String> problem = missions.repositoryProblem(repository);
            problem.ifPresent(p -> errors.put("repository_url", p));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return new Profile(
                java.util.Objects.requireNonNull(name),
                blankToNull(request.description()),
                runtime,
                blankToNull(request.model()),
                blankToNull(request.systemPrompt()),
                tools,
                request.maxTurns(),
                timeout,
                repository,
                false,
                now,
                now);
    }

    private static void text(String field, @Nullable String value, int max, Map<String, String> errors) {
        if (value != null && value.length() > max) {
            errors.put(field, "must be at most " + max + " characters");
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
