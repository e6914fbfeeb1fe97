package dev.agentry.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The one advice and the security filters answer in the family of the path asked for, before any of those
 * families has an endpoint: a new seed's controllers inherit their error bodies.
 */
class ErrorFamiliesTest extends ApiIntegrationTest {

    @Test
    void seed004PathsAnswerProblemJsonCarryingError() {
        Response missing = get("/api/v1/tasks/00000000-0000-0000-0000-000000000000");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(missing.json().get("error").asString()).isEqualTo("task not found");
        assertThat(missing.json().get("status").asInt()).isEqualTo(404);
    }

    @Test
    void seed003PathsAnswerABareErrorObject() {
        Response missing = get("/api/conversations/c1/no-such-endpoint");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(missing.json().propertyNames()).containsExactly("error");
        assertThat(missing.json().get("error").asString()).contains("api/conversations/c1/no-such-endpoint");
    }

    @Test
    void fastApiPathsAnswerAStringDetail() {
        Response missing = get("/api/v1/sessions/s1/no-such-endpoint");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().propertyNames()).containsExactly("detail");
        assertThat(missing.json().get("detail").asString()).contains("api/v1/sessions/s1/no-such-endpoint");
    }

    @Test
    void theSecurityChainAnswersInTheFamilyToo() {
        Response anonymous = send(request("/api/v1/builder/agents").GET());

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(anonymous.json().propertyNames()).containsExactly("detail");
        assertThat(anonymous.json().get("detail").asString()).isEqualTo("A valid bearer token is required.");
    }
}
