package dev.agentry.api.identity;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.Role;
import dev.agentry.api.tenant.TenantId;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A tenant's users, managed by its admins (or an operator acting for the tenant with {@code X-Tenant-ID}). */
@RestController
@RequestMapping(path = "/api/v1/users", produces = MediaType.APPLICATION_JSON_VALUE)
class UserController {

    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 1024;
    private static final Logger log = LoggerFactory.getLogger(UserController.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,255}$");

    private final Users users;
    private final PasswordEncoder passwords;

    UserController(Users users, PasswordEncoder passwords) {
        this.users = users;
        this.passwords = passwords;
    }

    record CreateUser(
            @Nullable String email,
            @Nullable String name,
            @Nullable String password,
            @Nullable String role) {}

    record UserView(UUID id, String email, String name, String role, Instant createdAt) {

        static UserView of(Users.User user) {
            return new UserView(
                    user.id(), user.email(), user.name(), user.role().wire(), user.createdAt());
        }
    }

    record UserList(List<UserView> users) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<UserView> create(Caller caller, @RequestBody(required = false) @Nullable CreateUser body) {
        Map<String, String> errors = new LinkedHashMap<>();
        String email = body == null || body.email() == null ? "" : body.email().strip();
        if (!EMAIL.matcher(email).matches()) {
            errors.put("email", "is not an email address");
        }
        String name = body == null || body.name() == null || body.name().isBlank()
                ? email
                : body.name().strip();
        if (name.length() > 200) {
            errors.put("name", "must be at most 200 characters");
        }
        String password = body == null ? null : body.password();
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            errors.put("password", "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        Role role = Role.grantedBy(caller.role(), body == null ? null : body.role(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        UUID id = UUID.randomUUID();
        if (!users.create(id, caller.tenant(), email, name, role, passwords.encode(password))) {
            throw new ConflictException("A user with that email exists already.");
        }
        log.info("User {} ({}) created in tenant {} by {}.", id, role.wire(), caller.tenant(), caller.subject());
        Users.User user = users.find(caller.tenant(), id).orElseThrow();
        return ResponseEntity.created(URI.create("/api/v1/users/" + id)).body(UserView.of(user));
    }

    @GetMapping
    UserList list(TenantId tenant) {
        return new UserList(users.list(tenant).stream().map(UserView::of).toList());
    }

    /** Disables the user: their sign-in and every JWT they hold stop working at once. */
    @DeleteMapping("/{id}")
    Map<String, String> disable(Caller caller, @PathVariable UUID id) {
        if (!users.disable(caller.tenant(), id)) {
            throw NotFoundException.of("user", id);
        }
        log.info("User {} of tenant {} disabled by {}.", id, caller.tenant(), caller.subject());
        return Map.of("message", "User disabled.");
    }
}
