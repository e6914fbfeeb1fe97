package dev.agentry.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.agentry.api.IdentityIntegrationTest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
        properties = {
            "agentry.api.bootstrap-admin-password=" + IdentityTest.ADMIN_PASSWORD,
            "agentry.api.auth.jwt-keys=k2:" + IdentityTest.CURRENT_KEY + ",k1:" + IdentityTest.OLD_KEY,
            "spring.datasource.hikari.maximum-pool-size=4"
        })
class IdentityTest extends IdentityIntegrationTest {

    static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final String CURRENT_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    static final String OLD_KEY = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
    private static final String ADMIN = "admin@agentry.local";
    private static final String TASK = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}";

    private Response login(String email, String password) {
        return send(request("/api/v1/auth/login")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}"))
                .header("Content-Type", "application/json"));
    }

    private String jwt(String email, String password) {
        Response response = login(email, password);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("access_token").asString();
    }

    @Test
    void loginAnswersTheSeedShapeAndMeListsThePermissions() {
        Response response = login(ADMIN, ADMIN_PASSWORD);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("token_type").asString()).isEqualTo("bearer");
        assertThat(response.json().get("expires_in").asLong()).isEqualTo(3600);
        assertThat(response.json().get("user").get("email").asString()).isEqualTo(ADMIN);
        assertThat(response.json().get("user").get("role").asString()).isEqualTo("admin");
        assertThat(response.json().get("user").get("id").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain(ADMIN_PASSWORD);

        Response me = get("/api/v1/auth/me", response.json().get("access_token").asString());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("email").asString()).isEqualTo(ADMIN);
        assertThat(me.json().get("tenant_id").asString()).isEqualTo("tenant-a");
        assertThat(me.body()).contains("create_tickets", "spawn_agents", "view_costs", "manage_keys");
    }

    @Test
    void wrongPasswordsAndUnknownEmailsAreTheSame401() {
        Response wrong = login(ADMIN, "not the password");
        Response unknown = login("nobody@example.com", ADMIN_PASSWORD);

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo(unknown.body());
        assertThat(login("", "").status()).isEqualTo(400);
    }

    @Test
    void logoutRevokesThatTokenOnly() {
        String first = jwt(ADMIN, ADMIN_PASSWORD);
        String second = jwt(ADMIN, ADMIN_PASSWORD);

        Response logout = post("/api/v1/auth/logout", "", first);

        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.json().get("status").asString()).isEqualTo("logged_out");
        assertThat(get("/api/v1/auth/me", first).status()).isEqualTo(401);
        assertThat(get("/api/v1/tasks", first).status()).isEqualTo(401);
        assertThat(get("/api/v1/auth/me", second).status()).isEqualTo(200);
    }

    @Test
    void jwtsAndApiTokensBothWork() {
        String jwt = jwt(ADMIN, ADMIN_PASSWORD);

        assertThat(post("/api/v1/tasks", TASK, jwt).status()).isEqualTo(201);
        assertThat(get("/api/v1/tasks", jwt).status()).isEqualTo(200);
        assertThat(get("/api/v1/auth/me").json().get("kind").asString()).isEqualTo("api_token");
    }

    @Test
    void rejectsExpiredForeignKeyedUnsignedAndForeignIssuedJwts() throws Exception {
        String userId =
                login(ADMIN, ADMIN_PASSWORD).json().get("user").get("id").asString();
        Instant now = Instant.now();
        byte[] foreign = new byte[32];
        new SecureRandom().nextBytes(foreign);

        String fresh =
                signed("k2", Base64.getDecoder().decode(CURRENT_KEY), claims(userId, "agentry", now.plusSeconds(600)));
        String byOldKey =
                signed("k1", Base64.getDecoder().decode(OLD_KEY), claims(userId, "agentry", now.plusSeconds(600)));
        String expired =
                signed("k2", Base64.getDecoder().decode(CURRENT_KEY), claims(userId, "agentry", now.minusSeconds(600)));
        String foreignKey = signed("k2", foreign, claims(userId, "agentry", now.plusSeconds(600)));
        String foreignIssuer =
                signed("k2", Base64.getDecoder().decode(CURRENT_KEY), claims(userId, "evil", now.plusSeconds(600)));
        String unsigned = new PlainJWT(claims(userId, "agentry", now.plusSeconds(600))).serialize();
        String noneWithSignature = unsigned + "c2lnbmF0dXJl";

        assertThat(get("/api/v1/auth/me", fresh).status()).isEqualTo(200);
        assertThat(get("/api/v1/auth/me", byOldKey).status())
                .as("a rotated-out key still verifies")
                .isEqualTo(200);
        assertThat(get("/api/v1/auth/me", expired).status()).isEqualTo(401);
        assertThat(get("/api/v1/auth/me", foreignKey).status()).isEqualTo(401);
        assertThat(get("/api/v1/auth/me", foreignIssuer).status()).isEqualTo(401);
        assertThat(get("/api/v1/auth/me", unsigned).status()).isEqualTo(401);
        assertThat(get("/api/v1/auth/me", noneWithSignature).status()).isEqualTo(401);
    }

    @Test
    void theRoleComesFromTheUserNotFromTheTokensClaims() throws Exception {
        Response created = post(
                "/api/v1/users",
                "{\"email\":\"reader@example.com\",\"password\":\"reader password 1\",\"role\":\"viewer\"}");
        JWTClaimsSet claims = new JWTClaimsSet.Builder(claims(
                        created.json().get("id").asString(),
                        "agentry",
                        Instant.now().plusSeconds(600)))
                .claim("role", "admin")
                .claim("permissions", java.util.List.of("spawn_agents"))
                .build();
        String jwt = signed("k2", Base64.getDecoder().decode(CURRENT_KEY), claims);

        assertThat(get("/api/v1/auth/me", jwt).json().get("role").asString()).isEqualTo("viewer");
        assertThat(post("/api/v1/tasks", TASK, jwt).status()).isEqualTo(403);
    }

    @Test
    void aJwtOfADisabledUserStopsWorking() {
        Response created = post(
                "/api/v1/users",
                "{\"email\":\"leaver@example.com\",\"name\":\"Leaver\",\"password\":\"a long enough password\",\"role\":\"member\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String jwt = jwt("leaver@example.com", "a long enough password");
        assertThat(get("/api/v1/auth/me", jwt).json().get("role").asString()).isEqualTo("member");

        assertThat(delete("/api/v1/users/" + created.json().get("id").asString(), TOKEN)
                        .status())
                .isEqualTo(200);

        assertThat(get("/api/v1/auth/me", jwt).status()).isEqualTo(401);
        assertThat(login("leaver@example.com", "a long enough password").status())
                .isEqualTo(401);
    }

    @Test
    void usersAreCreatedWithRolesAndNeverShowTheirPasswords() {
        Response created = post(
                "/api/v1/users",
                "{\"email\":\"Viewer@Example.com\",\"password\":\"viewer password 1\",\"role\":\"viewer\","
                        + "\"tenant_id\":\"tenant-b\",\"password_hash\":\"x\"}");
        Response duplicate =
                post("/api/v1/users", "{\"email\":\"viewer@example.com\",\"password\":\"viewer password 1\"}");
        Response shortPassword = post("/api/v1/users", "{\"email\":\"x@example.com\",\"password\":\"short\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("email").asString()).isEqualTo("viewer@example.com");
        assertThat(created.body()).doesNotContain("password");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().get("fields").has("password")).isTrue();
        assertThat(get("/api/v1/users").body()).contains("viewer@example.com").doesNotContain("pbkdf2");
        assertThat(jdbc.sql("select tenant_id from users where email = 'viewer@example.com'")
                        .query(String.class)
                        .single())
                .isEqualTo("tenant-a");
        assertThat(jdbc.sql("select password_hash from users where email = 'viewer@example.com'")
                        .query(String.class)
                        .single())
                .startsWith("{pbkdf2@SpringSecurity_v5_8}")
                .doesNotContain("viewer password 1");
    }

    @Test
    void throttlesPasswordGuessingPerEmail() {
        for (int i = 0; i < 10; i++) {
            login("target@example.com", "guess " + i);
        }

        Response throttled = login("target@example.com", "guess 11");

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(login(ADMIN, ADMIN_PASSWORD).status())
                .as("other emails are not affected")
                .isEqualTo(200);
    }

    private static JWTClaimsSet claims(String userId, String issuer, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(userId)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(expiresAt.minusSeconds(1200)))
                .expirationTime(Date.from(expiresAt))
                .claim("tenant_id", "tenant-a")
                .build();
    }

    private static String signed(String kid, byte[] key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
