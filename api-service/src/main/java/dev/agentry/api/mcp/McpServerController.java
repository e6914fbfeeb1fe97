package dev.agentry.api.mcp;

import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.tenant.Caller;
import dev.agentry.api.tenant.TenantId;
import java.net.URI;
import java.util.ArrayList;
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

/**
 * Seed 004's global MCP servers. A server is a {@code package} (an npm package, run as {@code npx -y <package>
 * <args>}, or a path to a binary, run as it is) or a {@code command} with {@code args}; {@code env} values are
 * secrets and are listed as {@code ***}.
 */
@RestController
@RequestMapping(path = "/api/v1/mcp/servers", produces = MediaType.APPLICATION_JSON_VALUE)
class McpServerController {

    private static final Logger log = LoggerFactory.getLogger(McpServerController.class);
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,127}$");
    private static final Pattern NPM_PACKAGE =
            Pattern.compile("^(@[a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*(@[A-Za-z0-9._^~<>=-]+)?$");

    private final McpServers servers;

    McpServerController(McpServers servers) {
        this.servers = servers;
    }

    record RegisterServer(
            @Nullable String name,
            @Nullable String packageName,
            @Nullable String command,
            @Nullable List<String> args,
            @Nullable Map<String, String> env) {}

    record ServerView(
            String name,

            @com.fasterxml.jackson.annotation.JsonProperty("package") @Nullable
            String packageName,

            String command,
            List<String> args,
            Map<String, String> env) {}

    record ServerList(List<ServerView> servers) {}

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, String>> register(
            Caller caller, @RequestBody(required = false) @Nullable Map<String, Object> raw) {
        RegisterServer body = parse(raw);
        Map<String, String> errors = new LinkedHashMap<>();
        if (body.name() == null || !NAME.matcher(body.name()).matches()) {
            errors.put("name", "must be 1-64 letters, digits, '-' or '_'");
        }
        List<String> args = new ArrayList<>(body.args() == null ? List.of() : body.args());
        String command = null;
        if (body.command() != null && body.packageName() != null) {
            errors.put("package", "give package or command, not both");
        } else if (body.command() != null) {
            if (body.command().isBlank() || body.command().length() > 1024) {
                errors.put("command", "must be 1 to 1024 characters");
            }
            command = body.command();
        } else if (body.packageName() != null) {
            String pkg = body.packageName();
            if (pkg.startsWith("/")) {
                command = pkg;
            } else if (NPM_PACKAGE.matcher(pkg).matches() && pkg.length() <= 214) {
                command = "npx";
                args.addAll(0, List.of("-y", pkg));
            } else {
                errors.put("package", "must be an npm package name or an absolute path to a binary");
            }
        } else {
            errors.put("package", "is required (or command)");
        }
        if (args.stream().anyMatch(a -> a == null || a.length() > 4096) || args.size() > 100) {
            errors.put("args", "must be at most 100 strings");
        }
        Map<String, String> env = body.env() == null ? Map.of() : body.env();
        if (env.size() > 100
                || env.entrySet().stream()
                        .anyMatch(e -> !ENV_NAME.matcher(e.getKey()).matches() || e.getValue() == null)) {
            errors.put("env", "must map variable names to string values");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        if (!servers.register(caller.tenant(), body.name(), body.packageName(), command, args, env)) {
            throw new ConflictException("An MCP server named " + body.name() + " exists already.");
        }
        log.info("MCP server {} registered for tenant {} by {}.", body.name(), caller.tenant(), caller.subject());
        return ResponseEntity.created(URI.create("/api/v1/mcp/servers/" + body.name()))
                .body(Map.of("name", body.name(), "message", "MCP server registered."));
    }

    @GetMapping
    ServerList list(TenantId tenant) {
        return new ServerList(servers.list(tenant).stream()
                .map(s -> {
                    Map<String, String> env = new LinkedHashMap<>();
                    s.envNames().forEach(n -> env.put(n, "***"));
                    return new ServerView(s.name(), s.packageName(), s.command(), s.args(), env);
                })
                .toList());
    }

    @DeleteMapping("/{name}")
    Map<String, String> delete(Caller caller, @PathVariable String name) {
        if (!servers.delete(caller.tenant(), name)) {
            throw new NotFoundException("mcp server not found", "No MCP server named " + name + ".");
        }
        log.info("MCP server {} of tenant {} deleted by {}.", name, caller.tenant(), caller.subject());
        return Map.of("message", "MCP server deleted.");
    }

    /** {@code package} is a Java keyword, so the body is read by hand; wrong types are a 400 naming the field. */
    @SuppressWarnings("unchecked")
    private static RegisterServer parse(@Nullable Map<String, Object> raw) {
        if (raw == null) {
            throw new InvalidRequestException(Map.of("body", "is required"));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        String name = string(raw, "name", errors);
        String pkg = string(raw, "package", errors);
        String command = string(raw, "command", errors);
        List<String> args = null;
        if (raw.get("args") instanceof List<?> list && list.stream().allMatch(a -> a instanceof String)) {
            args = (List<String>) list;
        } else if (raw.get("args") != null) {
            errors.put("args", "must be an array of strings");
        }
        Map<String, String> env = null;
        if (raw.get("env") instanceof Map<?, ?> map && map.values().stream().allMatch(v -> v instanceof String)) {
            env = (Map<String, String>) map;
        } else if (raw.get("env") != null) {
            errors.put("env", "must be an object of string values");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new RegisterServer(name, pkg, command, args, env);
    }

    private static @Nullable String string(Map<String, Object> raw, String field, Map<String, String> errors) {
        Object value = raw.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        errors.put(field, "must be a string");
        return null;
    }
}
