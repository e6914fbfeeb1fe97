package dev.agentry.api.tenant;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

/**
 * API tokens for machines: create (the token is in that one response and nowhere else), list (redacted), revoke.
 * Each has a role and an optional expiry; a token is never made an operator through the API.
 */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
class TokenController {

    private static final Logger log = LoggerFactory.getLogger(TokenController.class);
    private static final Duration MAX_LIFETIME = Duration.ofDays(3650);

    private final ApiTokens tokens;
    private final CallerUsers users;

    TokenController(ApiTokens tokens, CallerUsers users) {
        this.tokens = tokens;
        this.users = users;
    }

    record CreateToken(
            @Nullable String name,
            @Nullable String role,
            @Nullable Long expiresInSeconds) {}

    record TokenView(
            UUID id,
            String name,
            String role,
            Instant createdAt,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt) {

        static TokenView of(ApiTokens.Token token) {
            return new TokenView(
                    token.id(), token.name(), token.role(), token.createdAt(), token.expiresAt(), token.revokedAt());
        }
    }

    record Created(
            UUID id,
            String name,
            String role,
            String token,
            Instant createdAt,
            @Nullable Instant expiresAt) {}

    record TokenList(List<TokenView> tokens) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Created> create(Caller caller, @RequestBody(required = false) @Nullable CreateToken body) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = body == null || body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            errors.put("name", "must be 1 to 100 characters");
        }
        Role role = Role.grantedBy(caller.role(), body == null ? null : body.role(), errors);
        Instant expiresAt = null;
        if (body != null && body.expiresInSeconds() != null) {
            if (body.expiresInSeconds() < 1 || body.expiresInSeconds() > MAX_LIFETIME.toSeconds()) {
                errors.put("expires_in_seconds", "must be between 1 and " + MAX_LIFETIME.toSeconds());
            } else {
                expiresAt = Instant.now().plusSeconds(body.expiresInSeconds());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        ApiTokens.Issued issued = tokens.issue(caller.tenant(), name, role, expiresAt, users.userId(caller));
        ApiTokens.Token token = issued.token();
        log.info(
                "API token {} ({}) created for tenant {} by {}.",
                token.id(),
                role.wire(),
                caller.tenant(),
                caller.subject());
        return ResponseEntity.created(URI.create("/api/v1/tokens/" + token.id()))
                .body(new Created(
                        token.id(), token.name(), token.role(), issued.secret(), token.createdAt(), token.expiresAt()));
    }

    @GetMapping
    TokenList list(TenantId tenant) {
        return new TokenList(tokens.list(tenant).stream().map(TokenView::of).toList());
    }

    @DeleteMapping("/{id}")
    Map<String, String> revoke(Caller caller, @PathVariable UUID id) {
        if (!tokens.revoke(caller.tenant(), id)) {
            throw NotFoundException.of("token", id);
        }
        log.info("API token {} of tenant {} revoked by {}.", id, caller.tenant(), caller.subject());
        return Map.of("message", "Token revoked.");
    }
}
