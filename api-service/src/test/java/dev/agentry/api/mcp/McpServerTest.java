package dev.agentry.api.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.IdentityIntegrationTest;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.task.RunTask;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class McpServerTest extends IdentityIntegrationTest {

    private final SecretSealer sealer = SecretSealer.fromSpec(SEALING_KEYS);

    /** The context (and its database) is shared with other test classes, which may have registered servers. */
    @BeforeEach
    void noServersYet() {
        jdbc.sql("delete from mcp_servers").update();
    }

    @Test
    void registersListsWithEnvRedactedAndDeletes() {
        Response created = post(
                "/api/v1/mcp/servers",
                "{\"name\":\"context7\",\"package\":\"@anthropic-ai/context7\",\"args\":[\"--transport\",\"stdio\"],"
                        + "\"env\":{\"API_KEY\":\"mcp-secret-value\"}}");
        Response duplicate = post("/api/v1/mcp/servers", "{\"name\":\"context7\",\"package\":\"other\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("name").asString()).isEqualTo("context7");
        assertThat(duplicate.status()).isEqualTo(409);
        Response list = get("/api/v1/mcp/servers");
        var server = list.json().get("servers").get(0);
        assertThat(server.get("package").asString()).isEqualTo("@anthropic-ai/context7");
        assertThat(server.get("env").get("API_KEY").asString()).isEqualTo("***");
        assertThat(list.body()).doesNotContain("mcp-secret-value");
        assertThat(jdbc.sql("select env_sealed::text from mcp_servers where name = 'context7'")
                        .query(String.class)
                        .single())
                .doesNotContain("mcp-secret-value");

        assertThat(delete("/api/v1/mcp/servers/context7", TOKEN).status()).isEqualTo(200);
        assertThat(delete("/api/v1/mcp/servers/context7", TOKEN).status()).isEqualTo(404);
    }

    @Test
    void refusesServersWithoutNameOrWithBadFields() {
        Response missing = post("/api/v1/mcp/servers", "{\"name\":\"x y\"}");
        Response badTypes = post("/api/v1/mcp/servers", "{\"name\":\"a\",\"package\":\"p\",\"env\":[\"A=1\"]}");
        Response both = post("/api/v1/mcp/servers", "{\"name\":\"a\",\"package\":\"p\",\"command\":\"c\"}");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("fields").has("name")).isTrue();
        assertThat(missing.json().get("fields").has("package")).isTrue();
        assertThat(badTypes.status()).isEqualTo(400);
        assertThat(badTypes.json().get("fields").has("env")).isTrue();
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void aTasksRunCarriesTheTenantsServersMergedWithItsOwn() {
        post(
                "/api/v1/mcp/servers",
                "{\"name\":\"docs\",\"package\":\"@scope/docs-mcp\",\"args\":[\"--stdio\"],\"env\":{\"TOKEN\":\"s3cret\"}}");
        post("/api/v1/mcp/servers", "{\"name\":\"local\",\"command\":\"/usr/bin/local-mcp\"}");

        String id = createTask("{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\","
                + "\"config\":{\"mcp_servers\":[{\"name\":\"local\",\"command\":\"/opt/mine\",\"env\":[\"X=1\"]}]}}");
        String otherTenant = post(
                        "/api/v1/tasks", "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}", OTHER_TOKEN)
                .json()
                .get("id")
                .asString();

        RunTask run = run(id);
        Map<String, RunTask.McpServer> servers =
                run.mcpServers().stream().collect(Collectors.toMap(RunTask.McpServer::name, s -> s));
        assertThat(servers).containsOnlyKeys("docs", "local");
        assertThat(servers.get("docs").command()).isEqualTo("npx");
        assertThat(servers.get("docs").args()).containsExactly("-y", "@scope/docs-mcp", "--stdio");
        assertThat(sealer.open(servers.get("docs").env().getFirst())).isEqualTo("TOKEN=s3cret");
        assertThat(servers.get("local").command())
                .as("the task's own server wins")
                .isEqualTo("/opt/mine");
        assertThat(run(otherTenant).mcpServers()).isEmpty();
        assertThat(jdbc.sql("select run_spec::text from tasks where id = ?::uuid")
                        .param(id)
                        .query(String.class)
                        .single())
                .doesNotContain("s3cret");
    }

    private RunTask run(String id) {
        String spec = jdbc.sql("select run_spec::text from tasks where id = ?::uuid")
                .param(id)
                .query(String.class)
                .single();
        return new MessageCodec().mapper().readValue(spec, RunTask.class);
    }
}
