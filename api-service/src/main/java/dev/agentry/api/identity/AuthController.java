package dev.agentry.api.identity;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.UnauthorizedException;
import dev.agentry.api.tenant.ApiTokens;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.RevokedJwts;
import dev.agentry.api.tenant.Role;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Seed 001 §14: login (a platform JWT), logout (that token revoked), me (with the role's permissions). */
@RestController
@RequestMapping(path = "/api/v1/auth", produces = MediaType.APPLICATION_JSON_VALUE)
class AuthController {

    private static final Logger log = LoggerFactory.getLogger(AuthController.class);

    private final Users users;
    private final PasswordEncoder passwords;
    private final LoginTokens loginTokens;
    private final RevokedJwts revokedJwts;
    private final ApiTokens apiTokens;
    private final LoginThrottle throttle;
    private final String dummyHash;

    AuthController(
            Users users,
            PasswordEncoder passwords,
            LoginTokens loginTokens,
            RevokedJwts revokedJwts,
            ApiTokens apiTokens,
            LoginThrottle throttle) {
        this.users = users;
        this.passwords = passwords;
        this.loginTokens = loginTokens;
        this.revokedJwts = revokedJwts;
        this.apiTokens = apiTokens;
        this.throttle = throttle;
        // Unknown emails cost as much as wrong passwords, so timing does not tell which emails exist.
        this.dummyHash = passwords.encode(UUID.randomUUID().toString());
    }

    record LoginRequest(@Nullable String email, @Nullable String password) {}

    record UserView(String id, String email, String name, String role) {}

    record LoginResponse(String accessToken, String tokenType, long expiresIn, UserView user) {}

    record Me(
            String id,
            @Nullable String email,
            String name,
            String role,
            List<String> permissions,
            String tenantId,
            String kind) {}

    @PostMapping(path = "/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    LoginResponse login(@RequestBody(required = false) @Nullable LoginRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (request == null || request.email() == null || request.email().isBlank()) {
            errors.put("email", "is required");
        }
        if (request == null || request.password() == null || request.password().isEmpty()) {
            errors.put("password", "is required");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        throttle.attempt(request.email());
        String password = request.password().length() > UserController.MAX_PASSWORD ? "" : request.password();
        Optional<Users.User> user = users.byEmail(request.email());
        boolean matches =
                passwords.matches(password, user.map(Users.User::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !matches) {
            log.warn("A login failed.");
            throw new UnauthorizedException("invalid credentials", "The email or password is wrong.");
        }
        Users.User signedIn = user.get();
        log.info("User {} of tenant {} signed in.", signedIn.id(), signedIn.tenantId());
        return new LoginResponse(
                loginTokens.issue(signedIn),
                "bearer",
                loginTokens.lifetimeSeconds(),
                new UserView(
                        signedIn.id().toString(),
                        signedIn.email(),
                        signedIn.name(),
                        signedIn.role().wire()));
    }

    /** Revokes the very credential of the request: a JWT joins the denylist, an API token is revoked. */
    @PostMapping("/logout")
    Map<String, String> logout(Caller caller) {
        switch (caller.kind()) {
            case USER ->
                revokedJwts.revoke(
                        caller.credentialId(),
                        caller.expiresAt() == null ? Instant.now().plusSeconds(86400) : caller.expiresAt());
            case API_TOKEN -> apiTokens.revoke(caller.tenant(), UUID.fromString(caller.credentialId()));
        }
        log.info("{} {} of tenant {} logged out.", caller.kind(), caller.subject(), caller.tenant());
        return Map.of("status", "logged_out");
    }

    @GetMapping("/me")
    Me me(Caller caller) {
        List<String> permissions = caller.role().permissions().stream()
                .sorted()
                .map(Role.Permission::wire)
                .toList();
        if (caller.kind() == Caller.Kind.USER) {
            Users.User user = users.find(caller.tenant(), UUID.fromString(caller.subject()))
                    .orElseThrow(() -> new UnauthorizedException("unauthorized", "This token's user is gone."));
            return new Me(
                    user.id().toString(),
                    user.email(),
                    user.name(),
                    caller.role().wire(),
                    permissions,
                    caller.tenant().value(),
                    "user");
        }
        String name = apiTokens
                .find(caller.tenant(), UUID.fromString(caller.subject()))
                .map(ApiTokens.Token::name)
                .orElse("api token");
        return new Me(
                caller.subject(),
                null,
                name,
                caller.role().wire(),
                permissions,
                caller.tenant().value(),
                "api_token");
    }
}
