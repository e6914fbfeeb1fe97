package dev.agentry.api.tenant;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A tenant member's role and the permissions it grants. The permission names follow seed 001
 * ({@code create_tickets}, {@code spawn_agents}, {@code view_costs}); the rest name this API's own resources.
 */
public enum Role {
    VIEWER(Set.of(Permission.VIEW_TASKS, Permission.VIEW_COSTS)),
    MEMBER(Set.of(
            Permission.VIEW_TASKS,
            Permission.VIEW_COSTS,
            Permission.CREATE_TICKETS,
            Permission.SPAWN_AGENTS,
            Permission.MANAGE_WORKSPACES)),
    ADMIN(Set.of(Permission.values()));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String value) {
        return Arrays.stream(values()).filter(r -> r.wire().equals(value)).findFirst();
    }

    /** A role may hand out only roles that grant no more than it has. */
    public boolean covers(Role other) {
        return permissions.containsAll(other.permissions);
    }

    /**
     * The role a caller holding {@code granter} asks to hand out, by its wire name ({@code null} meaning member), or
     * null after noting under {@code "role"} in {@code errors} why it may not: an unknown name, or more than its own.
     */
    public static @Nullable Role grantedBy(Role granter, @Nullable String wire, Map<String, String> errors) {
        Role role = wire == null ? MEMBER : fromWire(wire).orElse(null);
        if (role == null) {
            errors.put("role", "must be admin, member or viewer");
        } else if (!granter.covers(role)) {
            errors.put("role", "must not grant more than your own role");
            return null;
        }
        return role;
    }

    public enum Permission {
        VIEW_TASKS,
        VIEW_COSTS,
        CREATE_TICKETS,
        SPAWN_AGENTS,
        MANAGE_WORKSPACES,
        MANAGE_KEYS,
        MANAGE_MCP_SERVERS,
        MANAGE_USERS,
        MANAGE_TOKENS;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
