package dev.agentry.api.profile;

import dev.agentry.api.tenant.TenantId;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code mission_profiles} table: a tenant's own profiles. */
@Repository
class Profiles {

    private final JdbcClient jdbc;

    Profiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the tenant already has a profile of that name */
    boolean insert(TenantId tenant, Profile p) {
        return jdbc.sql("""
                insert into mission_profiles (tenant_id, name, description, runtime, model, system_prompt,
                    allowed_tools, max_turns, timeout_seconds, repository_url, created_at, updated_at)
                values (:tenant, :name, :description, :runtime, :model, :systemPrompt, cast(:allowedTools as text[]),
                    :maxTurns, :timeoutSeconds, :repositoryUrl, :createdAt, :updatedAt)
                on conflict (tenant_id, name) do nothing""").params(columns(tenant, p)).update() == 1;
    }

    /** @return false when the tenant has no profile of that name */
    boolean update(TenantId tenant, Profile p) {
        return jdbc.sql("""
                update mission_profiles set description = :description, runtime = :runtime, model = :model,
                    system_prompt = :systemPrompt, allowed_tools = cast(:allowedTools as text[]),
                    max_turns = :maxTurns, timeout_seconds = :timeoutSeconds, repository_url = :repositoryUrl,
                    updated_at = :updatedAt
                where tenant_id = :tenant and name = :name""").params(columns(tenant, p)).update() == 1;
    }

    /** A profile's columns as named parameters, for both the insert and the update. */
    private static Map<String, Object> columns(TenantId tenant, Profile p) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("tenant", tenant.value());
        columns.put("name", p.name());
        columns.put("description", p.description());
        columns.put("runtime", p.runtime());
        columns.put("model", p.model());
        columns.put("systemPrompt", p.systemPrompt());
        columns.put("allowedTools", p.allowedTools().toArray(String[]::new));
        columns.put("maxTurns", p.maxTurns());
        columns.put("timeoutSeconds", p.timeoutSeconds());
        columns.put("repositoryUrl", p.repositoryUrl());
        columns.put("createdAt", Timestamp.from(p.createdAt()));
        columns.put("updatedAt", Timestamp.from(p.updatedAt()));
        return columns;
    }

    boolean delete(TenantId tenant, String name) {
        return jdbc.sql("delete from mission_profiles where tenant_id = ? and name = ?")
                        .params(tenant.value(), name)
                        .update()
                == 1;
    }

    Optional<Profile> find(TenantId tenant, String name) {
        return jdbc.sql("select * from mission_profiles where tenant_id = ? and name = ?")
                .params(tenant.value(), name)
                .query(Profiles::profile)
                .optional();
    }

    List<Profile> all(TenantId tenant) {
        return jdbc.sql("select * from mission_profiles where tenant_id = ? order by name")
                .param(tenant.value())
                .query(Profiles::profile)
                .list();
    }

    private static Profile profile(ResultSet rs, int row) throws SQLException {
        Array tools = rs.getArray("allowed_tools");
        Integer maxTurns = rs.getObject("max_turns", Integer.class);
        return new Profile(
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("runtime"),
                rs.getString("model"),
                rs.getString("system_prompt"),
                tools == null ? List.of() : Arrays.asList((String[]) tools.getArray()),
                maxTurns,
                rs.getInt("timeout_seconds"),
                rs.getString("repository_url"),
                false,
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
