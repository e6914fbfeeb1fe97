package dev.agentry.api.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.IdentityIntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProjectApiTest extends IdentityIntegrationTest {

    private String createProject(String name) {
        Response created = post(
                "/api/v1/projects",
                "{\"name\":\"" + name + "\",\"description\":\"d\",\"github_owner\":\"o\",\"github_repo\":\"r\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("id").asString();
    }

    private String createTicket(String projectId) {
        Response t = post(
                "/api/v1/projects/" + projectId + "/create-ticket",
                "{\"title\":\"Implement feature\",\"description\":\"x\",\"priority\":\"HIGH\"}");
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        return t.json().get("id").asString();
    }

    private Response transition(String ticketId, String to) {
        return post("/api/v1/tickets/" + ticketId + "/transition", "{\"to_status\":\"" + to + "\",\"reason\":\"r\"}");
    }

    private Response delete(String path) {
        return send(request(path).DELETE().header("Authorization", "Bearer " + TOKEN));
    }

    @Test
    void createsListsGetsAndArchivesProjects() {
        String name = "auth-" + UUID.randomUUID();
        String id = createProject(name);
        assertThat(id).startsWith("project-");

        Response list = get("/api/v1/projects");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().isArray()).isTrue();
        assertThat(list.body()).contains(id).contains("\"default_phase_id\":\"PHASE_BACKLOG\"");

        createTicket(id);
        Response one = get("/api/v1/projects/" + id);
        assertThat(one.status()).isEqualTo(200);
        JsonNode body = one.json();
        assertThat(body.get("name").asString()).isEqualTo(name);
        assertThat(body.at("/github_connection/owner").asString()).isEqualTo("o");
        assertThat(body.at("/github_connection/repo").asString()).isEqualTo("r");
        assertThat(body.at("/github_connection/webhook_status").asString()).isEqualTo("inactive");
        assertThat(body.at("/stats/tickets").asLong()).isEqualTo(1);
        assertThat(body.at("/stats/done").asLong()).isZero();
        assertThat(body.at("/stats/agents").asLong()).isZero();
        assertThat(body.at("/stats/cost").isNumber()).isTrue();

        Response duplicate = post("/api/v1/projects", "{\"name\":\"" + name + "\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.body()).contains("already exists");

        assertThat(get("/api/v1/projects/project-" + UUID.randomUUID()).status())
                .isEqualTo(404);

        Response archived = delete("/api/v1/projects/" + id);
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.json().get("status").asString()).isEqualTo("archived");
        assertThat(get("/api/v1/projects").body()).doesNotContain(id);
        assertThat(jdbc.sql("select status from projects where id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("archived");
        assertThat(post("/api/v1/projects/" + id + "/create-ticket", "{\"title\":\"t\"}")
                        .status())
                .isEqualTo(409);
    }

    @Test
    void anotherTenantSeesNoneOfThem() {
        String name = "secret-" + UUID.randomUUID();
        String id = createProject(name);
        String ticket = createTicket(id);

        assertThat(get("/api/v1/projects", OTHER_TOKEN).body()).doesNotContain(id);
        assertThat(get("/api/v1/projects/" + id, OTHER_TOKEN).status()).isEqualTo(404);
        assertThat(get("/api/v1/tickets/" + ticket, OTHER_TOKEN).status()).isEqualTo(404);
        assertThat(post("/api/v1/projects/" + id + "/create-ticket", "{\"title\":\"t\"}", OTHER_TOKEN)
                        .status())
                .isEqualTo(404);
        assertThat(post("/api/v1/tickets/" + ticket + "/transition", "{\"to_status\":\"analyzing\"}", OTHER_TOKEN)
                        .status())
                .isEqualTo(404);
        assertThat(get("/api/v1/tickets?project_id=" + id, OTHER_TOKEN)
                        .json()
                        .get("total")
                        .asLong())
                .isZero();
        // the same name is free in another tenant
        assertThat(post("/api/v1/projects", "{\"name\":\"" + name + "\"}", OTHER_TOKEN)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void createsTicketsInBacklog() {
        String project = createProject("p-" + UUID.randomUUID());
        Response t = post(
                "/api/v1/projects/" + project + "/create-ticket",
                "{\"title\":\"Implement feature\",\"priority\":\"CRITICAL\",\"phase_id\":\"PHASE_IMPLEMENTATION\"}");
        assertThat(t.status()).isEqualTo(200);
        assertThat(t.json().get("status").asString()).isEqualTo("backlog");
        assertThat(t.json().get("priority").asString()).isEqualTo("CRITICAL");
        assertThat(t.json().get("phase_id").asString()).isEqualTo("PHASE_IMPLEMENTATION");
        assertThat(t.json().get("project_id").asString()).isEqualTo(project);
        assertThat(t.json().get("is_blocked").asBoolean()).isFalse();

        Response listed = get("/api/v1/tickets?project_id=" + project);
        assertThat(listed.json().get("total").asLong()).isEqualTo(1);
        assertThat(listed.json().get("tickets").get(0).get("id").asString())
                .isEqualTo(t.json().get("id").asString());
    }

    @Test
    void refusesBadInputNamingTheField() {
        String project = createProject("p-" + UUID.randomUUID());
        int before = count("tickets");

        Response badPriority =
                post("/api/v1/projects/" + project + "/create-ticket", "{\"title\":\"t\",\"priority\":\"URGENT\"}");
        assertThat(badPriority.status()).isEqualTo(400);
        assertThat(badPriority.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(badPriority.json().path("fields").has("priority")).isTrue();

        Response noTitle = post("/api/v1/projects/" + project + "/create-ticket", "{\"priority\":\"LOW\"}");
        assertThat(noTitle.status()).isEqualTo(400);
        assertThat(noTitle.json().path("fields").has("title")).isTrue();

        Response badPhase =
                post("/api/v1/projects/" + project + "/create-ticket", "{\"title\":\"t\",\"phase_id\":\"X\"}");
        assertThat(badPhase.status()).isEqualTo(400);
        assertThat(badPhase.json().path("fields").has("phase_id")).isTrue();

        Response notJson = post("/api/v1/projects/" + project + "/create-ticket", "{not json");
        assertThat(notJson.status()).isEqualTo(400);

        Response noName = post("/api/v1/projects", "{\"description\":\"x\"}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().path("fields").has("name")).isTrue();

        assertThat(count("tickets")).isEqualTo(before);

        String ticket = createTicket(project);
        Response badStatus = transition(ticket, "shipped");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().path("fields").has("to_status")).isTrue();

        Response badBlocker = post("/api/v1/tickets/" + ticket + "/block?blocker_type=laziness", "");
        assertThat(badBlocker.status()).isEqualTo(400);
        assertThat(badBlocker.json().path("fields").has("blocker_type")).isTrue();

        assertThat(get("/api/v1/tickets?limit=0").status()).isEqualTo(400);
        assertThat(get("/api/v1/tickets?status=nope").status()).isEqualTo(400);
    }

    @Test
    void walksTheStateMachineAndWritesPhaseHistory() {
        String ticket = createTicket(createProject("p-" + UUID.randomUUID()));

        Response skip = transition(ticket, "building");
        assertThat(skip.status()).isEqualTo(400);
        assertThat(skip.json().get("detail").asString()).startsWith("Invalid transition from backlog to building");

        String[] path = {
            "analyzing", "building", "building-done", "testing", "building", "building-done", "testing", "done"
        };
        String[] phases = {
            "PHASE_REQUIREMENTS",
            "PHASE_IMPLEMENTATION",
            "PHASE_DEPLOYMENT",
            "PHASE_TESTING",
            "PHASE_IMPLEMENTATION",
            "PHASE_DEPLOYMENT",
            "PHASE_TESTING",
            "PHASE_DONE"
        };
        for (int i = 0; i < path.length; i++) {
            Response moved = transition(ticket, path[i]);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(moved.json().get("status").asString()).isEqualTo(path[i]);
            assertThat(moved.json().get("phase_id").asString()).isEqualTo(phases[i]);
        }

        Response fromDone = transition(ticket, "backlog");
        assertThat(fromDone.status()).isEqualTo(400);
        assertThat(fromDone.body()).contains("Invalid transition from done to backlog");

        assertThat(jdbc.sql("select count(*) from ticket_phase_history where ticket_id = ?")
                        .param(ticket)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1 + path.length);
        Response history = get("/api/v1/tickets/" + ticket + "/phase-history");
        assertThat(history.status()).isEqualTo(200);
        JsonNode last = history.json().get(path.length);
        assertThat(last.get("from_phase").asString()).isEqualTo("PHASE_TESTING");
        assertThat(last.get("to_phase").asString()).isEqualTo("PHASE_DONE");
        assertThat(last.get("reason").asString()).isEqualTo("r");
        assertThat(last.get("by").asString()).isNotBlank();

        assertThat(transition(UUID.randomUUID().toString(), "analyzing").status())
                .isEqualTo(404);
        assertThat(get("/api/v1/tickets/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void blockingOverlayFollowsTheRules() {
        String project = createProject("p-" + UUID.randomUUID());
        String ticket = createTicket(project);
        assertThat(transition(ticket, "analyzing").status()).isEqualTo(200);

        Response blocked = post("/api/v1/tickets/" + ticket + "/block?blocker_type=failing_checks", "");
        assertThat(blocked.status()).isEqualTo(200);
        assertThat(blocked.json().get("is_blocked").asBoolean()).isTrue();
        assertThat(blocked.json().get("blocked_reason").asString()).isEqualTo("failing_checks");
        assertThat(blocked.json().get("blocked_at").isNull()).isFalse();

        // blocking again keeps the first reason
        Response again = post("/api/v1/tickets/" + ticket + "/block?blocker_type=environment", "");
        assertThat(again.json().get("blocked_reason").asString()).isEqualTo("failing_checks");

        // blocked: only analyzing/building/building-done/testing, never backlog or done
        assertThat(transition(ticket, "done").status()).isEqualTo(409);
        assertThat(transition(ticket, "backlog").status()).isEqualTo(409);

        // a move into an unblocking status clears the block, even off the normal table
        Response cleared = transition(ticket, "testing");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("is_blocked").asBoolean()).isFalse();
        assertThat(cleared.json().has("blocked_reason")).isFalse();
        assertThat(cleared.json().get("status").asString()).isEqualTo("testing");

        // unblock clears the overlay and leaves the status; unblocking an unblocked ticket is a conflict
        post("/api/v1/tickets/" + ticket + "/block?blocker_type=dependency", "");
        Response unblocked = post("/api/v1/tickets/" + ticket + "/unblock", "");
        assertThat(unblocked.status()).isEqualTo(200);
        assertThat(unblocked.json().get("is_blocked").asBoolean()).isFalse();
        assertThat(unblocked.json().get("status").asString()).isEqualTo("testing");
        assertThat(post("/api/v1/tickets/" + ticket + "/unblock", "").status()).isEqualTo(409);

        // blocking a done ticket is a no-op
        assertThat(transition(ticket, "done").status()).isEqualTo(200);
        Response doneBlock = post("/api/v1/tickets/" + ticket + "/block?blocker_type=environment", "");
        assertThat(doneBlock.status()).isEqualTo(200);
        assertThat(doneBlock.json().get("is_blocked").asBoolean()).isFalse();

        assertThat(post("/api/v1/tickets/" + UUID.randomUUID() + "/block?blocker_type=environment", "")
                        .status())
                .isEqualTo(404);
    }

    /** Writing projects and tickets is seed 001's create_tickets permission: a viewer reads, a member writes. */
    @Test
    void aViewerReadsProjectsAndTicketsButCannotWriteThem() {
        String viewer = tokenWithRole("viewer");
        String member = tokenWithRole("member");
        String body = "{\"name\":\"roles-" + java.util.UUID.randomUUID() + "\"}";

        assertThat(post("/api/v1/projects", body, viewer).status()).isEqualTo(403);
        Response created = post("/api/v1/projects", body, member);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        String project = created.json().get("id").asString();
        assertThat(get("/api/v1/projects/" + project, viewer).status()).isEqualTo(200);
        assertThat(post("/api/v1/projects/" + project + "/create-ticket", "{\"title\":\"t\"}", viewer)
                        .status())
                .isEqualTo(403);
        Response ticket = post("/api/v1/projects/" + project + "/create-ticket", "{\"title\":\"t\"}", member);
        assertThat(ticket.status()).as(ticket.body()).isEqualTo(200);
        String ticketId = ticket.json().get("id").asString();
        assertThat(get("/api/v1/tickets/" + ticketId, viewer).status()).isEqualTo(200);
        assertThat(post("/api/v1/tickets/" + ticketId + "/transition", "{\"to_status\":\"analyzing\"}", viewer)
                        .status())
                .isEqualTo(403);
        assertThat(delete("/api/v1/projects/" + project, viewer).status()).isEqualTo(403);
    }

    @Test
    void theServedSpecDocumentsTheEndpoints() {
        Response spec = send(request("/api/docs/openapi.yaml").GET());
        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.body())
                .contains("  /api/v1/projects:")
                .contains("  /api/v1/projects/{projectID}:")
                .contains("  /api/v1/projects/{projectID}/create-ticket:")
                .contains("  /api/v1/tickets:")
                .contains("  /api/v1/tickets/{ticketID}:")
                .contains("  /api/v1/tickets/{ticketID}/phase-history:")
                .contains("  /api/v1/tickets/{ticketID}/transition:")
                .contains("  /api/v1/tickets/{ticketID}/block:")
                .contains("  /api/v1/tickets/{ticketID}/unblock:");
    }
}
