package dev.agentry.api.mcp;

import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.RunTask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's global MCP servers (seed 004), merged into every task it creates. Env values are sealed as
 * {@code NAME=value} entries, the shape {@link RunTask.McpServer} carries them in, so they reach the worker as
 * they were stored and appear in no listing.
 */
@Repository
public class McpServers {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final SecretSealer sealer;
    private final JsonMapper json;

    McpServers(JdbcClient jdbc, SecretSealer sealer, JsonMapper json) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.json = json;
    }

    record Server(
            String name,
            @Nullable String packageName,
            String command,
            List<String> args,
            List<String> envNames,
            List<String> envSealed,
            Instant createdAt) {}

    /** False if the tenant has a server of that name already. */
    boolean register(
            TenantId tenant,
            String name,
            @Nullable String packageName,
            String command,
            List<String> args,
            Map<String, String> env) {
        List<String> names = new ArrayList<>(env.keySet());
        List<String> sealed = names.stream()
                .map(n -> sealer.seal(n + "=" + env.get(n)).value())
                .toList();
        return jdbc.sql("""
                insert into mcp_servers (tenant_id, name, package, command, args, env_names, env_sealed)
                values (?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), cast(? as jsonb))
                on conflict (tenant_id, name) do nothing""")
                        .params(
                                tenant.value(),
                                name,
                                packageName,
                                command,
                                json.writeValueAsString(args),
                                json.writeValueAsString(names),
                                json.writeValueAsString(sealed))
                        .update()
                > 0;
    }

    List<Server> list(TenantId tenant) {
        return jdbc.sql("""
                select name, package, command, args::text as args, env_names::text as env_names,
                       env_sealed::text as env_sealed, created_at
                from mcp_servers where tenant_id = ? order by name""")
                .param(tenant.value())
                .query((rs, n) -> new Server(
                        rs.getString("name"),
                        rs.getString("package"),
                        rs.getString("command"),
                        json.readValue(rs.getString("args"), STRINGS),
                        json.readValue(rs.getString("env_names"), STRINGS),
                        json.readValue(rs.getString("env_sealed"), STRINGS),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.sql("delete from mcp_servers where tenant_id = ? and name = ?")
                        .params(tenant.value(), name)
                        .update()
                > 0;
    }

    /** The tenant's servers as a task's run carries them, env still sealed. */
    public List<RunTask.McpServer> forRun(TenantId tenant) {
        return list(tenant).stream()
                .map(s -> new RunTask.McpServer(
                        s.name(),
                        s.command(),
                        s.args(),
                        s.envSealed().stream().map(SealedSecret::new).toList()))
                .toList();
    }
}
