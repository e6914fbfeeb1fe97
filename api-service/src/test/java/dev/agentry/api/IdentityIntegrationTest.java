package dev.agentry.api;

import java.net.http.HttpRequest;

/** The API under test with the calls the identity, keys, MCP and quota tests need beyond the base class. */
public abstract class IdentityIntegrationTest extends ApiIntegrationTest {

    protected Response delete(String path, String token) {
        return send(request(path).DELETE().header("Authorization", "Bearer " + token));
    }

    protected Response put(String path, String body, String token) {
        return send(request(path)
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    protected Response send(HttpRequest.Builder request, String token, String tenantHeader) {
        return send(request.header("Authorization", "Bearer " + token).header("X-Tenant-ID", tenantHeader));
    }

    /** A new API token of the bootstrap tenant with the given role. */
    protected String tokenWithRole(String role) {
        Response created = post("/api/v1/tokens", "{\"name\":\"" + role + "-token\",\"role\":\"" + role + "\"}");
        if (created.status() != 201) {
            throw new AssertionError("expected 201, got " + created.status() + ": " + created.body());
        }
        return created.json().get("token").asString();
    }
}
